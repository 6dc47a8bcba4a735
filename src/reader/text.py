"""Turning file bytes into safe text: decoding with a fallback, mojibake repair,
control-character removal. Everything read from a file passes through here."""

from __future__ import annotations

import re

# C0 controls except tab (\x09) and newline (\x0a); DEL; C1 controls.
_CONTROL_CHARS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")

# Whole terminal escape sequences: OSC (ESC ] ... BEL or ESC \), DCS/SOS/PM/APC strings,
# CSI (ESC [ ... final byte), other two-byte escapes; never across a line end. Removing
# only the ESC byte would leave a clipboard write's payload ("]52;c;UFdORUQ=") as text.
_TERMINAL_ESCAPE = re.compile(
    r"\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC, e.g. a clipboard write
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"  # DCS/SOS/PM/APC strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI, e.g. clear screen
    r"|\x1b[ -/]*[0-~]?"  # other escapes
)


def remove_escapes(text: str) -> str:
    """Drop whole terminal escape sequences (not just their ESC byte)."""
    return _TERMINAL_ESCAPE.sub("", text) if "\x1b" in text else text


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and C0/C1 control characters (keeping tab and
    newline). ``\\r\\n`` becomes ``\\n``."""
    text = remove_escapes(text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text)


# Characters that reorder or hide text without being visible themselves: bidi embeddings,
# overrides, isolates and marks; zero-width spaces and joiners; the BOM; the soft hyphen.
# A file named "evil\u202etxt.md" would otherwise show as "evildm.txt".
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# In running text (titles, messages) zero-width (non-)joiners belong to scripts and emoji.
_REORDERING_CHARS = "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
_REORDERING = re.compile(f"[{_REORDERING_CHARS}]")


def display_line(text: object, limit: int | None = None) -> str:
    """Any string about to reach a terminal as one line (titles, messages, warnings,
    errors, query echoes): no escape sequences or control characters, no bidi
    reordering, tabs and newlines as spaces; at most ``limit`` characters ("…" marks
    the cut)."""
    text = str(text)
    if limit is not None:
        text = text[: limit * 2 + 16]
    text = strip_controls(text).replace("\t", " ").replace("\n", " ")
    text = _REORDERING.sub("", text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def display_name(name: object, limit: int | None = None) -> str:
    """A file or folder name, path or id about to be shown: like :func:`display_line`,
    but every control and invisible character is shown as ``<U+XXXX>`` instead of being
    dropped, so the name stays recognisable and two different names never look alike."""
    text = str(name)
    if limit is not None:
        text = text[: limit * 2 + 16]

    def visible(m: re.Match[str]) -> str:
        return f"<U+{ord(m.group()):04X}>"

    text = _CONTROL.sub(visible, text.replace("\x1b", "<ESC>").replace("\t", "<TAB>"))
    text = _INVISIBLE.sub(visible, text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


_MASKED = re.compile(f"[{_CONTROL_CHARS}{_REORDERING_CHARS}]")


def mask_controls(text: str) -> str:
    """Like :func:`display_line` but one character for one (controls and reordering
    characters become spaces, tabs and newlines too): offsets into the text, such as
    highlight spans, stay true."""
    return _MASKED.sub(" ", text.replace("\t", " ").replace("\n", " "))


_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)


def json_for_terminal(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``, which escapes only C0)
    with DEL, C1 and invisible characters escaped too: the same data, nothing a terminal
    acts on."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# charset-normalizer is trusted for the multi-byte encodings cp1252 would turn into
# mojibake (GB2312/GB18030, Big5, Shift-JIS, EUC-*, ...); a single-byte code page only when
# the text it finds is in a language no Latin code page can spell (on a short Western text
# it names cp1250 or even the Urdu cp1006 for "café", where cp1252 is the better guess).
_MULTIBYTE = tuple("gb big5 cp932 cp936 cp949 cp950 shift_jis euc iso2022 hz johab".split())
_NON_LATIN = frozenset(
    "Russian Ukrainian Bulgarian Serbian Macedonian Belarusian Kazakh Greek Hebrew Arabic "
    "Persian Thai".split()
)


def _detect(data: bytes) -> str | None:
    """The encoding charset-normalizer finds, when it is one the cp1252 fallback would
    turn into mojibake (GB18030, Big5, Shift-JIS, EUC-KR, ...) and it is confident."""
    from charset_normalizer import from_bytes  # first use only: most files are UTF-8

    sample = data[:262144]
    if len(sample) < len(data) and sample.rfind(b"\n") > 0:
        # end the sample at a line break, never inside a multi-byte character
        sample = sample[: sample.rfind(b"\n") + 1]
    # UTF-16/32 without a BOM is not a caption file's encoding (ASCII text in it would be
    # NUL bytes, refused as binary); charset-normalizer may still rank it first
    best = next(
        (r for r in from_bytes(sample) if not r.encoding.startswith(("utf_16", "utf_32"))), None
    )
    if best is None or best.chaos > 0.1:
        return None
    if best.encoding.startswith(_MULTIBYTE) or best.language in _NON_LATIN:
        return best.encoding
    return None


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode file bytes. Returns (text, warning or None).

    UTF-8 (with or without BOM) first; then the encoding charset-normalizer detects, when it
    is a confident non-Latin one (a GB2312 caption file); otherwise cp1252/latin-1. Every
    fallback comes with a warning.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        detected = _detect(data)
        if detected:
            try:
                return data.decode(detected), (
                    f"not valid UTF-8 (byte {exc.start}); decoded as {detected} (detected)"
                )
            except (UnicodeDecodeError, LookupError):
                pass
        try:
            text = data.decode("cp1252")
            enc = "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            enc = "latin-1"
        return text, f"not valid UTF-8 (byte {exc.start}); decoded as {enc}"


def looks_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB, or mostly non-text bytes, means binary."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    bad = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bad / len(head) > 0.1


def fix_text(text: str) -> str:
    """Repair mojibake ("Pok√©mon" -> "Pokémon") and strip control characters."""
    import ftfy  # imported on first use: ~25 ms, and the app's first frame needs none of it

    # escapes first: ftfy drops some of them but keeps an OSC sequence's payload
    fixed = ftfy.fix_text(remove_escapes(text), normalization="NFC", uncurl_quotes=False)
    return strip_controls(fixed)
