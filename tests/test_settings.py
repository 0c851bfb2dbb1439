"""Production settings are strict: mandatory secrets, and Django's deployment checks pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from justis.bsn_crypto import development_key

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7Gq2LkP9vRt4ZsW8nYb3Hc6Jd1Mf5Qa0Ue2Io9Py4Tr7Ew3Sd6Fg",
    "ALLOWED_HOSTS": "vog.justis.example",
    "JDS_BACKEND": "http",
    "JDS_URL": "https://jds.example/api",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example:587",
    "DEFAULT_FROM_EMAIL": "Justis VOG <vog@justis.example>",
    "BRP_BACKEND": "http",
    "BRP_URL": "https://brp.example/haalcentraal/api/brp",
    "MOLLIE_API_KEY": "live_productionkeyfortheconfigurationtest",
    "BSN_ENCRYPTION_KEYS": (
        "k2:3q2-7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs=,k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    ),
    "BSN_LOOKUP_KEY": "H4mQ9tXz2bV7cL1nR8sK3wY6pF0dJ5gA-eU_iO2hT7M=",
    "METRICS_TOKEN": "q8Zt3Wm5Kx1Rv7Nb2Hc9Lp4Ys6Fd0Ga3Je",
}


def manage(*args, env):
    dropped = {"DJANGO_SETTINGS_MODULE", "ENABLE_DEMO_LOGINS", "ENABLE_DEMO_PLUGINS", "PAYMENT_PLUGIN", *PRODUCTION}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "justis.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deployment_checks_pass_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def dockerfile_build_environment() -> dict[str, str]:
    """The variables the Dockerfile sets for its collectstatic step (``RUN A=1 \\ B=2 \\ python manage.py …``)."""
    text = (ROOT / "Dockerfile").read_text()
    step = text[: text.index("manage.py collectstatic")]
    step = step[step.rindex("RUN ") + 4 :]
    return dict(token.split("=", 1) for token in step.replace("\\\n", " ").split() if "=" in token)


def test_the_image_build_can_collect_the_static_files_in_production_mode():
    """The Dockerfile gives production settings every value they insist on, or the image does not build."""
    build = dockerfile_build_environment()
    assert build["DJANGO_ENV"] == "production"
    result = manage("collectstatic", "--dry-run", "--noinput", "-v0", env=build)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("name", ["BSN_ENCRYPTION_KEYS", "BSN_LOOKUP_KEY", "METRICS_TOKEN"])
def test_production_refuses_to_start_without_bsn_keys(name):
    result = manage("check", env={**PRODUCTION, name: ""})
    assert result.returncode != 0
    assert f"{name} must be set" in result.stderr


@pytest.mark.parametrize(
    "changed",
    [
        {"BSN_ENCRYPTION_KEYS": "k1:tooshort"},
        {"BSN_ENCRYPTION_KEYS": "no-id-here"},
        {"BSN_LOOKUP_KEY": "c2hvcnQ="},
        # The public development keys.
        {"BSN_LOOKUP_KEY": development_key("bsn-lookup")},
        {"BSN_ENCRYPTION_KEYS": f"k1:{development_key('bsn-encryption')}"},
    ],
)
def test_production_refuses_malformed_or_development_bsn_keys(changed):
    result = manage("check", env={**PRODUCTION, **changed})
    assert result.returncode != 0
    assert "BSN" in result.stdout + result.stderr


def test_production_refuses_the_jds_simulator():
    result = manage("check", env={**PRODUCTION, "JDS_BACKEND": "simulator"})
    assert result.returncode != 0
    assert "JDS_BACKEND=simulator is not allowed" in result.stderr


def test_production_refuses_demo_logins():
    result = manage("check", env={**PRODUCTION, "ENABLE_DEMO_LOGINS": "true"})
    assert result.returncode != 0
    assert "ENABLE_DEMO_LOGINS must be off" in result.stderr


def test_production_refuses_the_demo_payment_plugin_and_needs_a_mollie_key():
    result = manage("check", env={**PRODUCTION, "ENABLE_DEMO_PLUGINS": "true"})
    assert result.returncode != 0
    assert "ENABLE_DEMO_PLUGINS is not allowed in production" in result.stderr
    result = manage("check", env={**PRODUCTION, "PAYMENT_PLUGIN": "demo"})
    assert result.returncode != 0
    assert "PAYMENT_PLUGIN=demo needs ENABLE_DEMO_PLUGINS" in result.stderr
    result = manage("check", env={**PRODUCTION, "MOLLIE_API_KEY": ""})
    assert result.returncode != 0
    assert "MOLLIE_API_KEY must be set" in result.stderr


def test_seed_demo_refuses_production():
    result = manage("seed_demo", env=PRODUCTION)
    assert result.returncode != 0
    assert "refuses DJANGO_ENV=production" in result.stderr


def test_celery_runs_at_least_once_with_late_acks_and_no_results():
    from justis.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_ignore_result is True
    assert conf.accept_content == ["json"]
    # Redelivery only after the hard time limit: a running task is never handed out twice.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit > conf.task_soft_time_limit
    assert conf.task_routes["screening.tasks.render_certificate"]["queue"] == "documents"
    assert conf.task_routes["screening.tasks.assess_application"]["queue"] == "assessment"
    assert "sweep-stalled-work" in conf.beat_schedule
    assert conf.beat_schedule["reconcile-payments"]["task"] == "payments.tasks.reconcile_payments"


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    result = manage("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"), env={})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/api/v1/applications/{reference}/" in (tmp_path / "schema.yaml").read_text()
