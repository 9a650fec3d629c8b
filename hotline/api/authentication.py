"""The API's token check, with the token and its user kept per process."""

import copy

from rest_framework import authentication

from hotline.reference.cache import remembered


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``Token`` check (unknown key or inactive user: 401), read once per process
    while the tokens and users stay as they are: deleting a token or changing its user
    moves the reference generation on, and the next request of every process checks
    again. Each request gets its own copy of the user (a request may note things on it)."""

    def authenticate_credentials(self, key):
        user, token = remembered(
            ("api-token", key),
            lambda: super(TokenAuthentication, self).authenticate_credentials(key),
        )
        return copy.copy(user), token
