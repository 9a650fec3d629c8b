"""The demo history generator: a realistic order history for the demo city, written in the
exchange formats of ``hotline.interchange``."""
