"""The default policies and calendar (README, "Service levels"). A business day is one day's
opening hours: 8 hours in the default calendar (Monday to Friday, 09:00-17:00 UTC)."""

from django.db import migrations

HOUR = 60
BUSINESS_DAY = 8 * HOUR
DEFAULTS = {
    # priority: (first response, resolution, business hours)
    "critical": (1 * HOUR, 4 * HOUR, False),
    "high": (4 * HOUR, 1 * BUSINESS_DAY, True),
    "medium": (8 * HOUR, 3 * BUSINESS_DAY, True),
    "low": (1 * BUSINESS_DAY, 5 * BUSINESS_DAY, True),
}
WINDOWS = [{"day": day, "start": "09:00", "end": "17:00"} for day in range(5)]


def seed(apps, schema_editor):
    policy = apps.get_model("sla", "SlaPolicy")
    for priority, (first, resolution, business) in DEFAULTS.items():
        policy.objects.get_or_create(
            priority=priority,
            defaults={
                "first_response_minutes": first,
                "resolution_minutes": resolution,
                "business_hours": business,
            },
        )
    apps.get_model("sla", "BusinessCalendar").objects.get_or_create(
        id=1, defaults={"time_zone": "UTC", "windows": WINDOWS}
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
