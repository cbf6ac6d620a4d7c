from django.conf import settings

from bianzhi.core.models import current_installation


def installation(request):
    found = current_installation()
    return {
        "county_name": found.county_name if found else settings.BIANZHI_DEFAULT_COUNTY_NAME,
        "is_demo": bool(found and found.is_demo),
    }
