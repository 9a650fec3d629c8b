"""The REST API (SPEC 11): one view per operation, each parsing its input, calling one
service or selector, and rendering its output. Errors share one shape (``errors.py``)."""
