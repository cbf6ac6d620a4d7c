import pytest

from bianzhi.core.models import Installation

REGION = "330122"


@pytest.fixture
def county(db):
    return Installation.objects.create(county_name="锦绣县", region_code=REGION)
