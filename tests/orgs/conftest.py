from tests.quotas.conftest import county  # noqa: F401  (the same small county as the ledger tests)
