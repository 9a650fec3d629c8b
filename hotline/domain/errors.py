"""The base of every refusal the domain can make.

Each refusal is its own class with a stable ``code`` (for the API) and a Chinese
message (for the people using the product).
"""


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
