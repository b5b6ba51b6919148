"""CI only: a person, their workspace, a project and an API token in the production database.

Run as ``python manage.py shell < .ci/prod_seed.py`` with the production settings; prints one
JSON line (e-mail, password, workspace slug, token) for deploy/smoke.py. Also proves a real
worker answers: the ``core.ping`` task goes through Redis and comes back from PostgreSQL.
"""

import datetime as dt
import json
import secrets
import sys

from core.models import TokenScope, User
from core.services import workspace_create
from core.tasks import ping
from core.tenancy import workspace_scope
from core.tokens import token_create
from territories.services import project_create, territory_create

email = f"smoke-{secrets.token_hex(4)}@territoria.test"
password = secrets.token_urlsafe(18)
user = User.objects.create_user(email=email, password=password, full_name="Smoke Test")
workspace = workspace_create(actor=user, name=f"Smoke {secrets.token_hex(3)}")
with workspace_scope(workspace):
    territory = territory_create(
        actor=user, workspace=workspace, name="Smoke Valley", kind="region"
    )
    project_create(
        actor=user,
        workspace=workspace,
        territory=territory,
        name="Smoke project",
        start_date=dt.date.today(),
    )
    _token, secret = token_create(
        actor=user, workspace=workspace, name="CI smoke", scope=TokenScope.READ
    )
pong = ping.delay().get(timeout=60)
if pong != {"pong": "ok", "database": "postgresql"}:
    raise SystemExit(f"the worker answered {pong!r}")
sys.stdout.write(
    json.dumps(
        {
            "email": email,
            "password": password,
            "workspace": workspace.slug,
            "token": secret,
            "worker": pong,
        }
    )
    + "\n"
)
