"""The reference data's generation: the directory and the API's tokens and their users,
read on nearly every request and written seldom, are kept per process
(``remembered``) until a write anywhere moves the generation on."""
