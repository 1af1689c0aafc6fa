"""Background task of campaigns; a thin wrapper around podium.campaigns.delivery."""

from django_tasks import task

from podium.campaigns import delivery


@task()
def run_campaign(*, campaign_id: int) -> str:
    return str(delivery.campaign_run(campaign_id=campaign_id))
