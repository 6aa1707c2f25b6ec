"""Whether the installed libraries are those the patches were written for: versions against requirements.lock, and
the sha256 of each pinned upstream source, read from the module's file (whatever is patched in memory)."""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import importlib.metadata
import inspect
import warnings
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Tuple

LOCK_FILE = Path(__file__).resolve().parents[2] / "requirements.lock"


class PatchRefused(RuntimeError):
    """The installed libraries are not those the patches were written for: nothing was patched."""


def check(entries: Iterable[Any]) -> None:
    """Raise :class:`PatchRefused` unless each library the entries touch is the version requirements.lock pins and
    the one they were written for, and every pinned upstream source is unchanged."""
    entries = list(entries)
    locked = locked_versions()
    for distribution in sorted({name for entry in entries for name in entry.written_for}):
        concerned = [entry for entry in entries if distribution in entry.written_for]
        names = ", ".join(entry.name for entry in concerned)
        written = sorted({entry.written_for[distribution] for entry in concerned})
        pinned = locked.get(canonical(distribution))
        found = installed_version(distribution)
        if found != pinned:
            raise PatchRefused(
                f"addons/patches refuses to patch: {distribution} {found} is installed, requirements.lock pins "
                f"{pinned}. Install the locked versions (make setup), or review the patches {names} against "
                f"{distribution} {found} before changing the lock."
            )
        if written != [pinned]:
            raise PatchRefused(
                f"addons/patches refuses to patch: requirements.lock pins {distribution} {pinned}, the patches "
                f"{names} were written for {', '.join(written)}: review them against {distribution} {pinned}, then "
                "update their written_for and pinned sha256 (addons/patches/registry.py)."
            )
    for entry in entries:
        for target, pinned_sha in entry.sources.items():
            found_sha = source_sha256(target)
            if found_sha != pinned_sha:
                raise PatchRefused(
                    f"addons/patches refuses to patch: the source of {target} changed upstream (sha256 {found_sha}, "
                    f"pinned {pinned_sha}). Review the patch {entry.name!r} ({entry.upstream}) against it, then "
                    "update its pinned sha256 (addons/patches/registry.py)."
                )


def upstream_source(target: str) -> str:
    """The source of ``"module:Qualified.name"`` as written in the module's file, whatever is patched in memory.

    The same text as ``inspect.getsource`` of the unpatched object (decorators included); a module-level name gives
    its last assignment. Raises :class:`PatchRefused` when the name is no longer defined there.
    """
    module_name, _, qualname = target.partition(":")
    source, node = _parsed(module_name)
    for part in qualname.split("."):
        found = [child for child in node.body if _defines(child, part)]
        if not found:
            raise PatchRefused(f"addons/patches refuses to patch: {target} is no longer defined upstream.")
        node = found[-1]
    first = min([node.lineno] + [decorator.lineno for decorator in getattr(node, "decorator_list", [])])
    return "".join(source.splitlines(keepends=True)[first - 1 : node.end_lineno])


def source_sha256(target: str) -> str:
    return hashlib.sha256(upstream_source(target).encode()).hexdigest()


@functools.lru_cache(maxsize=None)
def _parsed(module_name: str) -> Tuple[str, ast.Module]:
    source = inspect.getsource(importlib.import_module(module_name))
    return source, ast.parse(source)


def _defines(node: ast.AST, name: str) -> bool:
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.name == name
    if isinstance(node, ast.Assign):
        return any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
    return isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name


def locked_versions() -> Dict[str, str]:
    """Distribution (canonical name) -> the exact version requirements.lock pins."""
    from packaging.requirements import Requirement

    if not LOCK_FILE.is_file():
        raise PatchRefused(f"addons/patches refuses to patch: {LOCK_FILE} not found, no version can be checked.")
    versions = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # packaging 20.9 calls a renamed pyparsing method
        for line in LOCK_FILE.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            requirement = Requirement(line)
            exact = [spec.version for spec in requirement.specifier if spec.operator == "=="]
            if exact:
                versions[canonical(requirement.name)] = exact[0]
    return versions


def canonical(distribution: str) -> str:
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(distribution))


def installed_version(distribution: str) -> Optional[str]:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
