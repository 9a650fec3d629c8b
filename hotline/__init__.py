"""12345 government service hotline platform."""

__version__ = "0.1.0"
