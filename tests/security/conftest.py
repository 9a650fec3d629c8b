from tests.api.conftest import client_for  # noqa: F401  (the API's token clients)
from tests.web.conftest import signed_in  # noqa: F401  (the staff pages' sign-in fixture)
