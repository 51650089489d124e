# The URL matrix's records of team A and its personas (`objects`), for the tests that walk it.
from tests.test_url_matrix import objects  # noqa: F401
