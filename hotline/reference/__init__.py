"""The reference data's generation: the directory, the API's tokens and their users, the
office's settings and holiday table, read on nearly every request and written seldom,
are kept per process (``remembered``) until a write anywhere moves the generation on."""
