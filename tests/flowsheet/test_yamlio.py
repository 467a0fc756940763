"""Tests for flowsheet.yamlio: safe YAML reading with positions."""

from __future__ import annotations

import math
import os
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from flowsheet import yamlio
from flowsheet.errors import InputError, YamlSyntaxError
from flowsheet.yamlio import load_yaml, read_yaml_file

BENCH = Path("/work/shared/bench/specs/plant_400.yaml")


@pytest.fixture(autouse=True, params=["libyaml", "pure-python"])
def parser(request, monkeypatch):
    """Run every test with PyYAML's C parser and with its pure-Python fallback."""
    if request.param == "pure-python":
        fallback = type("_PurePythonLoader", (yaml.SafeLoader,),
                        {"read_document": yamlio._Loader.read_document})
        monkeypatch.setattr(yamlio, "_Loader", fallback)
    elif not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML was built without libyaml")
    return request.param


def error_of(text: str, filename: str = "plant.yaml") -> YamlSyntaxError:
    with pytest.raises(YamlSyntaxError) as info:
        load_yaml(text, filename)
    return info.value


# --- values -------------------------------------------------------------------------------


def test_block_and_flow_values():
    """Block and flow collections become plain dicts and lists of plain scalars."""
    text = (
        "flowsheet: ccd-2\n"
        "species:\n"
        "  - {name: water, formula: H2O, phase: liquid}\n"
        "units:\n"
        "  slurry: {type: feed, flows: {gangue: 100, water: 60.5}}\n"
        "  thick1: {type: separator, outlets: [underflow, overflow]}\n"
    )
    data, _ = load_yaml(text)
    assert data == {
        "flowsheet": "ccd-2",
        "species": [{"name": "water", "formula": "H2O", "phase": "liquid"}],
        "units": {
            "slurry": {"type": "feed", "flows": {"gangue": 100, "water": 60.5}},
            "thick1": {"type": "separator", "outlets": ["underflow", "overflow"]},
        },
    }
    assert type(data["units"]["slurry"]["flows"]["gangue"]) is int


@pytest.mark.parametrize("text, expected", [
    ("1e-3", 0.001), ("1E6", 1e6), ("-2.5e+3", -2500.0), ("+1.5", 1.5), ("1.", 1.0),
    (".5", 0.5), ("3.0", 3.0), ("1_000.5", 1000.5), ("6.02e23", 6.02e23),
    (".inf", math.inf), ("-.Inf", -math.inf), ("+.INF", math.inf),
])
def test_yaml_1_2_floats(text, expected):
    """Floats follow YAML 1.2: an exponent without a dot is a float, not a string."""
    value = load_yaml(f"x: {text}\n")[0]["x"]
    assert type(value) is float
    assert value == expected


def test_nan():
    """``.nan`` in any of its spellings is a float NaN."""
    values = load_yaml("x: [.nan, .NaN, .NAN]\n")[0]["x"]
    assert all(math.isnan(v) for v in values)


@pytest.mark.parametrize("text, expected", [
    ("4058", 4058), ("-12", -12), ("4_058", 4058), ("1_000_000", 1000000), ("010", 10),
    ("0x1F", 31), ("0o17", 15), ("+7", 7),
])
def test_integers(text, expected):
    """Decimal ints (underscores allowed, leading zeros decimal), 0x and 0o forms."""
    value = load_yaml(f"x: {text}\n")[0]["x"]
    assert type(value) is int
    assert value == expected


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Y", "N", "Yes",
                                  "NO", "On", "OFF"])
def test_norway_words_stay_strings(word):
    """YAML 1.1's yes/no/on/off/y/n booleans are strings: a port may be called 'on'."""
    assert load_yaml(f"x: {word}\n{word}: 1\n")[0] == {"x": word, word: 1}


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("false", False), ("True", True), ("FALSE", False), ("tRuE", True),
])
def test_only_true_and_false_are_booleans(text, expected):
    """``true`` and ``false``, in any case, are the only booleans."""
    assert load_yaml(f"x: {text}\n")[0]["x"] is expected


@pytest.mark.parametrize("text", ["12:30", "2024-01-31", "1__0", "1_", "0x", "1e", "e3",
                                  "1.2.3", "inf", "nan", "NaN", "'5'", '"1e-3"', "5 MW",
                                  "'true'"])
def test_other_scalars_are_strings(text):
    """Sexagesimal numbers, dates, malformed numbers and quoted scalars stay strings."""
    value = load_yaml(f"x: {text}\n")[0]["x"]
    assert type(value) is str
    assert value == text.strip("'\"")


@pytest.mark.parametrize("text", ["~", "null", "Null", "NULL", ""])
def test_nulls(text):
    """``~``, ``null`` in its three spellings and an empty value are None."""
    assert load_yaml(f"x: {text}\ny: 1\n")[0] == {"x": None, "y": 1}


def test_keys_are_returned_as_written():
    """Int, float, bool and null keys are kept as they are; callers validate them."""
    data, pos = load_yaml("1: a\n2.5: b\nfalse: c\n~: d\n'1': e\n")
    assert data == {1: "a", 2.5: "b", False: "c", None: "d", "1": "e"}
    assert pos.key((1,)) == (1, 1)
    assert pos.key(("1",)) == (5, 1)


# --- duplicate keys -----------------------------------------------------------------------


def test_duplicate_key_is_an_error_at_the_second_occurrence():
    """A repeated key is never 'last one wins': the error points at the repeat."""
    err = error_of("units:\n  mill: {}\n\n  sag: {type: a}\n  cone: {}\n  sag: {type: b}\n")
    assert err.message == "duplicate key 'sag' (first at line 4)"
    assert (err.location.file, err.location.line, err.location.column) == ("plant.yaml", 6, 3)


def test_duplicate_key_nested_in_a_flow_mapping():
    """Duplicates are found inside flow mappings nested in flow mappings."""
    err = error_of("units:\n  feed: {type: feed, flows: {ore: 5, water: 1, ore: 6}}\n")
    assert err.message == "duplicate key 'ore' (first at line 2)"
    assert (err.location.line, err.location.column) == (2, 48)


def test_same_key_in_different_mappings_is_fine():
    """Only keys of one mapping must differ."""
    data, _ = load_yaml("a: {x: 1}\nb: {x: 2}\n")
    assert data == {"a": {"x": 1}, "b": {"x": 2}}


def test_int_and_string_keys_are_different():
    """``1`` and ``'1'`` are two keys, not a duplicate."""
    assert load_yaml("1: a\n'1': b\n")[0] == {1: "a", "1": "b"}


def test_keys_equal_in_python_are_duplicates_shown_as_written():
    """``1`` and ``1.0`` are one dict key; the error shows the key as written."""
    err = error_of("1: a\n1.0: b\n")
    assert err.message == "duplicate key '1.0' (first at line 1)"


# --- tags ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, shown, where", [
    ("!!python/object/apply:os.system [\"echo hi\"]\n", "!!python/object/apply:os.system",
     (1, 1)),
    ("x: !!python/object:os.system {}\n", "!!python/object:os.system", (1, 4)),
    ("x: !!python/name:os.system ''\n", "!!python/name:os.system", (1, 4)),
    ("x: !custom 3\n", "!custom", (1, 4)),
    ("x: !!str 5\n", "!!str", (1, 4)),
    ("x: !!float 5\n", "!!float", (1, 4)),
    ("x: !!map {a: 1}\n", "!!map", (1, 4)),
    ("x:\n  - !!seq []\n", "!!seq", (2, 5)),
    ("x: ! 5\n", "!", (1, 4)),
    ("{!!str a: 1}\n", "!!str", (1, 2)),
    ("%TAG !e! tag:example.com,2024:\n---\nx: !e!thing 1\n", "tag:example.com,2024:thing",
     (3, 4)),
])
def test_every_tag_is_rejected(text, shown, where):
    """Any explicit tag, even a harmless ``!!str``, is an error naming the tag."""
    err = error_of(text)
    assert err.message == f"tags are not allowed in a flowsheet file: '{shown}'"
    assert (err.location.line, err.location.column) == where


def test_python_tags_run_nothing(monkeypatch, capfd):
    """A document that would call os.system under an unsafe loader calls nothing."""
    calls = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args))
    monkeypatch.setattr(subprocess, "Popen", lambda *args, **kw: calls.append(args))
    for text in ['!!python/object/apply:os.system ["echo hi"]\n',
                 'x: !!python/object/apply:subprocess.Popen [["echo", "hi"]]\n',
                 'x: !!python/object/new:os.system ["echo hi"]\n']:
        with pytest.raises(YamlSyntaxError, match="tags are not allowed"):
            load_yaml(text)
    assert calls == []
    assert "hi" not in capfd.readouterr().out


# --- syntax errors ------------------------------------------------------------------------


@pytest.mark.parametrize("text, where", [
    ("a: b: c\n", (1, 5)),
    ("units:\n  sag: [1, 2\n", (3, 1)),
    ("a: 'unclosed\n", (1, 4)),             # where the quote opens
    ("- a\nb: 1\n", (2, 1)),
    ("key: @x\n", (1, 6)),
    ("a: *missing\n", (1, 4)),
])
def test_syntax_errors_are_located_and_one_line(text, where):
    """A PyYAML error becomes a YamlSyntaxError at the problem mark, on one line."""
    err = error_of(text)
    assert (err.location.file, err.location.line, err.location.column) == ("plant.yaml",
                                                                           *where)
    assert "\n" not in str(err)
    assert str(err).startswith(f"plant.yaml:{where[0]}:{where[1]}: ")


def test_tab_indentation_gets_a_hint():
    """A tab used for indentation is named, with a hint to use spaces."""
    err = error_of("units:\n\tsag: 1\n")
    assert (err.location.line, err.location.column) == (2, 1)
    assert "'\\t'" in err.message
    assert "spaces" in err.hint


def test_control_character():
    """A control character is reported at its position."""
    err = error_of("a: 1\nb: x\x07y\n")
    assert (err.location.line, err.location.column) == (2, 5)
    assert "#x0007" in err.message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n", "---\n",
                                  "~\n", "--- null\n...\n"])
def test_empty_file(text):
    """No document, or a document holding nothing, is 'the file is empty'."""
    err = error_of(text)
    assert err.message == "the file is empty"
    assert (err.location.file, err.location.line, err.location.column) == ("plant.yaml", 1, 1)


def test_several_documents_are_an_error():
    """A second document is an error pointing at it."""
    err = error_of("a: 1\n---\nb: 2\n")
    assert "one YAML document" in err.message
    assert err.location.line == 2


def test_explicit_document_markers_are_fine():
    """``---`` and ``...`` around the one document are allowed."""
    assert load_yaml("---\na: 1\n...\n")[0] == {"a": 1}


def test_collection_as_key_is_an_error():
    """A list or mapping used as a key is refused where it is written."""
    err = error_of("a: 1\n? [x, y]\n: 2\n")
    assert err.message == "a mapping key must be a single value, not a list"
    assert (err.location.line, err.location.column) == (2, 3)
    assert "not a mapping" in error_of("{{a: 1}: 2}\n").message


def test_nesting_limit():
    """Nesting deeper than 100 levels is refused (without exhausting any stack)."""
    assert load_yaml("a: " + "[" * 99 + "]" * 99)[0]["a"]
    err = error_of("a: " + "[" * 100_000 + "]" * 100_000)
    assert "nested more than 100 levels" in err.message
    assert (err.location.line, err.location.column) == (1, 103)


def test_nesting_limit_beyond_libyaml_depth():
    """Nesting deeper than libyaml's own limit is refused with our error at level 101,
    in flow and in block style, whichever parser reads the file."""
    err = error_of("a: " + "[" * 1500 + "]" * 1500)
    assert "nested more than 100 levels" in err.message
    assert (err.location.line, err.location.column) == (1, 103)
    block = "".join("  " * i + f"k{i}:\n" for i in range(1200)) + "  " * 1200 + "x: 1\n"
    err = error_of(block)
    assert "nested more than 100 levels" in err.message
    assert err.location.line == 101


@pytest.mark.parametrize("digits", ["9" * 5000, "-" + "1" * 4301, "0x" + "f" * 4400])
def test_integer_too_long_to_read(digits):
    """An integer beyond Python's 4,300-digit int() limit is refused at its place, naming
    its key, instead of crashing the reader."""
    err = error_of(f"units:\n  mill: {{type: sag_mill, mia: {digits}}}\n")
    assert "not a usable number" in err.message
    assert (err.location.line, err.location.column) == (2, 31)
    assert err.location.key == "mia" and err.path == ("units", "mill", "mia")
    assert len(str(err)) < 200


# --- positions ----------------------------------------------------------------------------

FLOWSHEET = """\
flowsheet: demo
units:
  mine: {type: feed, flows: {ore: 5, water: 2}}
  sag:
    type: sag_mill
    mia: 19.5
    power:
streams:
  - {from: mine, to: sag}
  - from: sag
    to: cyclones
"""


def test_positions_in_flow_mappings():
    """Keys and values inside flow mappings have exact 1-based positions."""
    _, pos = load_yaml(FLOWSHEET)
    assert pos.key(("units", "mine")) == (3, 3)
    assert pos.value(("units", "mine")) == (3, 9)
    assert pos.key(("units", "mine", "type")) == (3, 10)
    assert pos.value(("units", "mine", "type")) == (3, 16)
    assert pos.key(("units", "mine", "flows", "ore")) == (3, 30)
    assert pos.value(("units", "mine", "flows", "ore")) == (3, 35)
    assert pos.key(("units", "mine", "flows", "water")) == (3, 38)


def test_positions_in_block_mappings():
    """Keys and values of block mappings; an empty value starts after its colon."""
    _, pos = load_yaml(FLOWSHEET)
    assert pos.key(("flowsheet",)) == (1, 1)
    assert pos.value(("flowsheet",)) == (1, 12)
    assert pos.key(("units",)) == (2, 1)
    assert pos.value(("units",)) == (3, 3)
    assert pos.key(("units", "sag", "mia")) == (6, 5)
    assert pos.value(("units", "sag", "mia")) == (6, 10)
    assert pos.key(("units", "sag", "power")) == (7, 5)
    assert pos.value(("units", "sag", "power"))[0] == 7


def test_positions_of_list_items():
    """List items have a value position and no key position."""
    _, pos = load_yaml(FLOWSHEET)
    assert pos.value(("streams", 0)) == (9, 5)
    assert pos.key(("streams", 0)) is None
    assert pos.key(("streams", 0, "to")) == (9, 18)
    assert pos.value(("streams", 1)) == (10, 5)
    assert pos.key(("streams", 1, "to")) == (11, 5)
    assert pos.value(("streams", 1, "to")) == (11, 9)


def test_missing_paths():
    """A path that does not exist has no key or value position."""
    _, pos = load_yaml(FLOWSHEET)
    for path in [("units", "ball"), ("streams", 2), ("streams", -1), ("streams", True),
                 ("streams", "0"), ("flowsheet", "x"), ("units", ["unhashable"]),
                 ("streams", 0, "name")]:
        assert pos.key(path) is None
        assert pos.value(path) is None


def test_nearest_points_at_the_parent_of_a_missing_key():
    """nearest() gives the deepest existing key (or list item) along the path."""
    _, pos = load_yaml(FLOWSHEET)
    assert pos.nearest(("units", "sag", "installed_power")) == (4, 3)
    assert pos.nearest(("units", "mine", "flows", "gangue")) == (3, 22)
    assert pos.nearest(("streams", 0, "name")) == (9, 5)
    assert pos.nearest(("streams", 7, "to")) == (8, 1)
    assert pos.nearest(("nothing", "here")) == (1, 1)
    assert pos.nearest(()) == (1, 1)
    assert pos.nearest(("units", "sag", "mia")) == (6, 5)


def test_root_positions():
    """The empty path is the document: a value position and no key."""
    _, pos = load_yaml("\n\n  - a\n  - b\n")
    assert pos.value(()) == (3, 3)
    assert pos.key(()) is None


def test_location_helper():
    """location() makes a Location in the file at nearest(path)."""
    _, pos = load_yaml(FLOWSHEET, "demo.yaml")
    assert pos.file == "demo.yaml"
    loc = pos.location(("units", "sag", "mai"), unit="sag", key="mai")
    assert str(loc) == "demo.yaml:4:3: unit 'sag': key 'mai'"


def test_positions_count_characters_not_bytes():
    """Columns count characters, so non-ASCII text before a key does not shift it."""
    _, pos = load_yaml("a: {é: 1, b: 2}\n")
    assert pos.key(("a", "b")) == (1, 11)


# --- anchors, aliases and merges ----------------------------------------------------------


def test_aliases_share_values_and_have_their_own_position():
    """An alias gives the anchored value; its position is the alias, inner ones the anchor."""
    text = "base: &thick {type: separator, split: {water: 0.2}}\nt1: *thick\n"
    data, pos = load_yaml(text)
    assert data["t1"] == {"type": "separator", "split": {"water": 0.2}}
    assert pos.value(("t1",)) == (2, 5)
    assert pos.key(("t1", "split", "water")) == (1, 40)


def test_alias_bomb_is_not_expanded():
    """Aliases are shared, not copied, so a 'billion laughs' file loads instantly."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    data, _ = load_yaml("\n".join(lines) + "\n")
    assert data["a8"][0] is data["a7"]


def test_recursive_alias():
    """An alias inside its own anchor builds a cycle, as PyYAML does."""
    data, _ = load_yaml("a: &x [1, *x]\n")
    assert data["a"][1] is data["a"]


def test_merge_keys():
    """``<<`` merges mappings; written keys win, then earlier merged mappings."""
    text = (
        "defaults: &d {type: separator, split: 0.2}\n"
        "extra: &e {split: 0.5, count: 3}\n"
        "t1: {<<: *d, split: 0.3}\n"
        "t2: {<<: [*d, *e]}\n"
        "t3: {'<<': literal}\n"
    )
    data, pos = load_yaml(text)
    assert data["t1"] == {"type": "separator", "split": 0.3}
    assert data["t2"] == {"type": "separator", "split": 0.2, "count": 3}
    assert data["t3"] == {"<<": "literal"}
    assert pos.key(("t1", "type")) == (1, 15)
    assert pos.key(("t1", "split")) == (3, 14)


def test_merge_of_a_scalar_is_an_error():
    """A merge key must be given a mapping or a list of mappings."""
    err = error_of("a: {<<: 5}\n")
    assert err.message == "a merge key '<<' takes a mapping or a list of mappings"
    assert (err.location.line, err.location.column) == (1, 9)


def test_merged_keys_are_checked_for_duplicates_before_merging():
    """A key written twice beside a merge key is still a duplicate."""
    err = error_of("d: &d {x: 1}\ne: {<<: *d, y: 1, y: 2}\n")
    assert err.message == "duplicate key 'y' (first at line 2)"


# --- files --------------------------------------------------------------------------------


def test_read_yaml_file(tmp_path):
    """A file is read as UTF-8 (with or without BOM) and its text is returned too."""
    path = tmp_path / "plant.yaml"
    text = "flowsheet: démo\nunits: {a: {type: feed}}\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    data, pos, read = read_yaml_file(path)
    assert data == {"flowsheet": "démo", "units": {"a": {"type": "feed"}}}
    assert read == text
    assert pos.file == str(path)
    assert pos.key(("units", "a", "type")) == (2, 13)


def test_missing_file(tmp_path):
    """A missing file is an InputError naming it."""
    path = tmp_path / "x.yaml"
    with pytest.raises(InputError) as info:
        read_yaml_file(path)
    assert info.value.message == f"file not found: '{path}'"
    assert info.value.location.file == str(path)
    assert not isinstance(info.value, YamlSyntaxError)


def test_directory_is_not_a_file(tmp_path):
    """A directory cannot be read as a flowsheet."""
    with pytest.raises(InputError, match="cannot read"):
        read_yaml_file(tmp_path)


def test_bad_encoding_names_the_file_and_line(tmp_path):
    """Bytes that are not UTF-8 give a YamlSyntaxError at their line and column."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nname: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(YamlSyntaxError) as info:
        read_yaml_file(path)
    err = info.value
    assert "not UTF-8" in err.message
    assert (err.location.file, err.location.line, err.location.column) == (str(path), 2, 10)


def test_errors_in_a_file_carry_its_name(tmp_path):
    """load errors from read_yaml_file are located in that file."""
    path = tmp_path / "dup.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(YamlSyntaxError) as info:
        read_yaml_file(path)
    assert str(info.value) == f"{path}:2:1: duplicate key 'a' (first at line 1)"


# --- the large benchmark file -------------------------------------------------------------


@pytest.mark.skipif(not BENCH.exists(), reason="benchmark specs not available")
def test_large_file_matches_pyyaml_and_is_fast(parser):
    """The 828-unit plant loads as PyYAML loads it, within 2x of PyYAML's C loader."""
    text = BENCH.read_text(encoding="utf-8")
    data, pos = load_yaml(text, str(BENCH))
    assert data == yaml.load(text, Loader=yaml.SafeLoader)
    assert len(data["units"]) == 828
    assert pos.key(("streams", 0, "to")) is not None
    if parser != "libyaml":
        return

    def best(load) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            load()
            times.append(time.perf_counter() - start)
        return min(times)

    ours = best(lambda: load_yaml(text))
    plain = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    assert ours < 2 * plain
