import pytest
from hypothesis.stateful import run_state_machine_as_test
from tests.quotas.test_ledger_state_machine import CountyLedgerMachine, LEDGER_SETTINGS

@pytest.mark.django_db
def test_soak():
    run_state_machine_as_test(CountyLedgerMachine, settings=LEDGER_SETTINGS.__class__(LEDGER_SETTINGS, max_examples=120))
