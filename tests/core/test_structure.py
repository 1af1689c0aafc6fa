"""The rules of the code's structure that import-linter cannot see: templates ask models and policies
rather than compare enum values, and the domain layer knows nothing of HTTP."""

import ast
import enum
import importlib
import pkgutil
import re
from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from pathlib import Path

from django.apps import apps
from django.db import models

import podium

ROOT = Path(podium.__file__).parent
COMPARISON = re.compile(
    r"""(?P<left>[\w.]+)\s*(?:==|!=)\s*["'](?P<lit>[^"']*)["']|["'](?P<lit2>[^"']*)["']\s*(?:==|!=)\s*(?P<right>[\w.]+)"""
)


def _podium_modules():
    for info in pkgutil.walk_packages(podium.__path__, "podium."):
        if ".migrations" in info.name or info.name.endswith(("__main__", "asgi", "wsgi")):
            continue
        yield importlib.import_module(info.name)


def _enums_and_their_fields() -> tuple[set[str], set[str]]:
    """Every value of an enum defined in Podium (TextChoices included), and the names of the fields that
    hold one: model fields with choices, dataclass and named-tuple fields typed with such an enum."""
    enums: set[type[enum.Enum]] = set()
    holders: list[type] = []
    for module in _podium_modules():
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__.startswith("podium"):
                if issubclass(value, enum.Enum):
                    enums.add(value)
                    enums.update(v for v in vars(value).values() if isinstance(v, type) and issubclass(v, enum.Enum))
                else:
                    holders.append(value)
                for inner in vars(value).values():
                    if isinstance(inner, type) and issubclass(inner, enum.Enum):
                        enums.add(inner)
    values = {str(member.value) for e in enums for member in e if str(member.value)}
    names = {f.name for model in apps.get_models() for f in model._meta.get_fields() if getattr(f, "choices", None)}
    for holder in holders:
        annotated = [(f.name, f.type) for f in dataclass_fields(holder)] if is_dataclass(holder) else []
        annotated += list(getattr(holder, "__annotations__", {}).items()) if hasattr(holder, "_fields") else []
        names.update(name for name, kind in annotated if isinstance(kind, type) and issubclass(kind, enum.Enum))
    return values, names


def test_templates_never_compare_an_enum_field_with_a_string():
    values, names = _enums_and_their_fields()
    assert {"status", "attribution", "outcome", "state"} <= names and {"chatham_house", "confirmed"} <= values
    found = []
    for template in sorted(ROOT.rglob("templates/**/*.*")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            for match in COMPARISON.finditer(line):
                expression = match["left"] or match["right"]
                literal = match["lit"] if match["left"] else match["lit2"]
                if literal in values and expression.rsplit(".", 1)[-1] in names:
                    found.append(f"{template.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert not found, "ask a model property or event.policy instead:\n" + "\n".join(found)


def test_the_check_above_finds_what_it_is_meant_to_find(tmp_path):
    values, names = _enums_and_their_fields()
    line = '{% if event.attribution == "chatham_house" %}{% if tab == "report" %}'
    hits = [m for m in COMPARISON.finditer(line) if m["lit"] in values and m["left"].rsplit(".", 1)[-1] in names]
    assert [m["left"] for m in hits] == ["event.attribution"]


# The web layer: what answers a request. Everything else (models, services, selectors and the domain
# modules beside them: admission, event_types, rendering, delivery, composer, archive...) must not
# know about HTTP.
WEB = {
    "views",
    "urls",
    "admin",
    "forms",
    "feeds",
    "middleware",
    "ratelimit",
    "http",
    "errors",
    "permissions",
    "context_processors",
    "asgi",
    "wsgi",
    "podium",
}  # podium: the template tags
WEB_ONLY = ("django.http", "django.shortcuts", "django.contrib.messages", "django.template.response")


def test_the_domain_knows_nothing_of_http():
    """Domain modules raise ApplicationError or return None; views decide on 404s, redirects and messages."""
    found, checked = [], 0
    for path in sorted(ROOT.rglob("*.py")):
        if path.stem in WEB or "migrations" in path.parts or "management" in path.parts:
            continue
        checked += 1
        for node in ast.walk(ast.parse(path.read_text())):
            imported = []
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            found += [f"{path.relative_to(ROOT)}: {name}" for name in imported if name.startswith(WEB_ONLY)]
    assert checked > 60 and not found, "\n".join(found)


def test_every_model_is_in_an_app_of_podium():
    # axes: the sign-in lockout's attempts (decision 28)
    modules = ("podium.", "django.", "django_tasks", "axes.")
    assert all(model.__module__.startswith(modules) for model in apps.get_models())
    assert issubclass(apps.get_model("events", "Event"), models.Model)
