"""Markdown as the parsers read it: YAML front matter, inline markup removed, the block patterns
(fences, ATX headings) that ``index.ingest.sections`` splits on."""

from __future__ import annotations

import re

import yaml

MAX_FRONT_MATTER = 256 * 1024

_MD_IMAGE_RE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\n]{0,2000}\)|!\[[^\[\]\n]{0,500}\]\[[^\[\]\n]{0,200}\]")
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]{0,500})\]\([^()\n]{0,2000}\)|\[([^\[\]\n]{0,500})\]\[[^\[\]\n]{0,200}\]")
_MD_AUTOLINK_RE = re.compile(r"<((?:https?|mailto|ftp):[^>\s]{1,2000})>")
_MD_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,1000})?/?>")
_MD_EMPH_RE = re.compile(r"\*{1,3}|~~|(?<!\w)_{1,3}|_{1,3}(?!\w)")
_MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_REFDEF_RE = re.compile(r"^ {0,3}\[[^\]]{1,200}\]:\s")
_MD_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_BULLET_RE = re.compile(r"^(\s*)(?:>\s?)*(?:[-*+]\s+)?")
_MD_RULE_RE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_ESC_BASE = 0xE000  # escaped characters are parked in the private-use area while markup is removed
_ESC_RESTORE_RE = re.compile("[\ue000-\ue07f]")


def drop_comments(text: str) -> str:
    """Remove ``<!-- ... -->`` (in linear time; an unclosed comment is left as it is)."""
    out, pos = [], 0
    while (start := text.find("<!--", pos)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def strip_markdown(line: str) -> str:
    """Remove inline Markdown markup from one line (lightly: text stays, markup goes)."""
    if _MD_REFDEF_RE.match(line) or _MD_TABLE_RULE_RE.match(line) or _MD_RULE_RE.match(line):
        return ""
    line = _MD_BULLET_RE.sub(r"\1", line, count=1)
    line = _MD_ESCAPE_RE.sub(lambda m: chr(_ESC_BASE + ord(m.group(1))), line)
    line = _MD_IMAGE_RE.sub("", line)
    line = _MD_LINK_RE.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), line)
    line = _MD_AUTOLINK_RE.sub(r"\1", line)
    line = _MD_TAG_RE.sub(" ", line)
    line = _MD_EMPH_RE.sub("", line).replace("`", "")
    if "|" in line and line.strip().startswith("|"):
        line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    return _ESC_RESTORE_RE.sub(lambda m: chr(ord(m.group(0)) - _ESC_BASE), line)


class _MetaLoader(yaml.SafeLoader):
    """Safe YAML with no implicit typing: every scalar stays a string (dates and ids are checked by us)."""


_MetaLoader.yaml_implicit_resolvers = {}
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
ATX_CLOSE_RE = re.compile(r"[ \t]+#+[ \t]*$")


def front_matter(text: str, warnings: list[str]) -> tuple[dict, str]:
    """Split YAML front matter (between ``---`` lines) from a Markdown text: ``(metadata, body)``."""
    if not text.startswith("---"):
        return {}, text
    first, _, rest = text.partition("\n")
    if first.rstrip() != "---":
        return {}, text
    match = re.search(r"^(?:---|\.\.\.)[ \t]*$", rest, re.MULTILINE)
    if match is None:
        return {}, text
    block, body = rest[:match.start()], rest[match.end():]
    if len(block) > MAX_FRONT_MATTER:
        warnings.append("front matter is too large; ignored")
        return {}, body
    try:
        data = yaml.load(block, Loader=_MetaLoader)
    except Exception:  # noqa: BLE001 - YAML errors, recursion on deep nesting, unhashable keys
        warnings.append("front matter is not valid YAML; ignored")
        return {}, body
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        warnings.append("front matter is not a list of 'key: value' lines; ignored")
        return {}, body
    return data, body
