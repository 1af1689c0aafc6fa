"""Migration 0003 gives every existing registration its own fresh manage token (issue 12, item 9)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("registrations", "0002_invitation_response_joined_at")]
AFTER = [("registrations", "0003_registration_manage_token")]


@pytest.mark.django_db(transaction=True)
def test_existing_registrations_get_fresh_distinct_manage_tokens(make_event):
    event = make_event()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Registration = executor.loader.project_state(BEFORE).apps.get_model("registrations", "Registration")
    now = timezone.now()
    tokens = {
        Registration.objects.create(
            event_id=event.pk,
            name=f"P{n}",
            email=f"p{n}@example.org",
            segment="scholar",
            status="confirmed",
            status_changed_at=now,
            token=f"join-token-{n}",
        ).token
        for n in range(5)
    }
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("registrations", "Registration")
    rows = list(new.objects.values_list("token", "manage_token"))
    assert {token for token, _ in rows} == tokens  # join links keep working
    manage = [manage for _, manage in rows]
    assert len(set(manage)) == 5 and not set(manage) & tokens
    assert all(len(m) >= 43 for m in manage)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
