"""The deployment files (deploy/) hold no default secret and keep the topology the reliability tests exercise.

Docker is not available where this project is developed: these checks read the files; tests/e2e/test_failover.py
runs the same topology (PostgreSQL, Redis, two Rasa servers, an action server) on loopback.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SECRETS = ("RECOURS_ENCRYPTION_KEY", "POSTGRES_PASSWORD", "REDIS_PASSWORD", "RASA_AUTH_TOKEN")


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_compose_requires_every_secret_and_sets_none():
    text = (DEPLOY / "docker-compose.yml").read_text()
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses, name
        assert all(use.startswith(":?") for use in uses), f"{name} must be required (${{{name}:?...}}), not defaulted"
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            assert name not in SECRETS or value == "", f"env.example gives {name} a value"


def test_compose_topology():
    services = _compose()["services"]
    assert services["rasa"]["deploy"]["replicas"] >= 2
    assert services["actions"]["deploy"]["replicas"] >= 2
    assert "ports" not in services["actions"] and "ports" not in services["rasa"]  # only the load balancer is public
    assert "--auth-token" in services["rasa"]["command"] and "deploy/endpoints.yml" in services["rasa"]["command"]
    env = services["rasa"]["environment"]
    assert env["REDIS_URL"].startswith("redis://") and env["TRACKER_STORE_URL"].startswith("postgresql")


def test_deployed_endpoints_use_the_project_stores():
    deployed = yaml.safe_load((DEPLOY / "endpoints.yml").read_text())
    local = yaml.safe_load((DEPLOY.parent / "endpoints.yml").read_text())
    assert deployed["tracker_store"] == local["tracker_store"]
    assert deployed["lock_store"] == local["lock_store"]
    assert deployed["action_endpoint"]["url"] == "${ACTION_ENDPOINT_URL}"


def test_load_balancer_is_sticky_for_socketio_and_hides_the_http_api():
    conf = (DEPLOY / "nginx.conf").read_text()
    sticky = conf[conf.index("upstream rasa_sticky"):]
    assert "ip_hash" in sticky[: sticky.index("}")]
    assert "location /socket.io/" in conf and "proxy_pass http://rasa_sticky" in conf
    assert "location /conversations" not in conf and "location /model" not in conf and "return 404" in conf


def test_kubernetes_manifests_hold_no_secret_and_scale_out():
    documents = [d for f in sorted((DEPLOY / "k8s").glob("*.yaml")) for d in yaml.safe_load_all(f.read_text()) if d]
    assert not [d for d in documents if d.get("kind") == "Secret"]
    deployments = {d["metadata"]["name"]: d for d in documents if d.get("kind") == "Deployment"}
    assert deployments["recours-rasa"]["spec"]["replicas"] >= 2
    assert deployments["recours-actions"]["spec"]["replicas"] >= 2
    for deployment in deployments.values():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            assert {"secretRef": {"name": "recours-secrets"}} in container["envFrom"]
    ingress = next(d for d in documents if d.get("kind") == "Ingress")
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    config = next(d for d in documents if d.get("kind") == "ConfigMap")
    assert not set(config["data"]) & set(SECRETS)


def test_the_desk_is_deployed_beside_the_other_services(monkeypatch):
    from recours.settings import load_settings

    services = _compose()["services"]
    desk = services["desk"]
    assert desk["command"][:3] == ["python", "-m", "desk"] and "ports" not in desk  # published by nginx only
    assert desk["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert desk["environment"]["RASA_AUTH_TOKEN"].startswith("${RASA_AUTH_TOKEN:?")
    assert "desk" in services["lb"]["depends_on"] and any("8090" in port for port in services["lb"]["ports"])
    for name in ("SMTP_URL", "MAIL_FROM"):  # receipts and the desk's notices, sent by the action servers
        assert name in services["actions"]["environment"]
    # the settings the desk would read there: it reaches the Rasa service, not its own loopback
    for name, value in {**desk["environment"], "RECOURS_HOST": "0.0.0.0"}.items():
        monkeypatch.setenv(name, str(value))
    assert load_settings().rasa_url == "http://rasa:5005"

    conf = (DEPLOY / "nginx.conf").read_text()
    members, desk_server = conf.split("listen 8090;")
    assert "http://desk" not in members and "rasa" not in desk_server
    assert "X-Forwarded-Proto" in desk_server


def test_kubernetes_runs_the_desk_on_its_own_host_reaching_rasa():
    documents = [d for f in sorted((DEPLOY / "k8s").glob("*.yaml")) for d in yaml.safe_load_all(f.read_text()) if d]
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    assert "desk.yaml" in kustomization["resources"]
    deployment = next(d for d in documents if d.get("kind") == "Deployment" and d["metadata"]["name"] == "recours-desk")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["command"][:3] == ["python", "-m", "desk"]
    config = next(d for d in documents if d.get("kind") == "ConfigMap")
    assert config["data"]["DESK_RASA_URL"] == "http://recours-rasa:5005"
    ingresses = {d["metadata"]["name"]: d for d in documents if d.get("kind") == "Ingress"}
    desk_hosts = {rule["host"] for rule in ingresses["recours-desk"]["spec"]["rules"]}
    member_hosts = {rule["host"] for rule in ingresses["recours"]["spec"]["rules"]}
    assert desk_hosts and not desk_hosts & member_hosts
    rasa_policy = next(d for d in documents if d.get("kind") == "NetworkPolicy"
                       and d["metadata"]["name"] == "recours-rasa-from-ingress")
    sources = [source for rule in rasa_policy["spec"]["ingress"] for source in rule["from"]]
    assert {"podSelector": {"matchLabels": {"app": "recours", "component": "desk"}}} in sources
