"""(being written)"""

urls: list = []
