"""Background task of campaigns; a thin wrapper around podium.campaigns.services."""

from django_tasks import task

from podium.campaigns import services


@task()
def run_campaign(*, campaign_id: int) -> str:
    return services.campaign_run(campaign_id=campaign_id)
