"""Build ``data/divisions.csv`` (the GB/T 2260 gazetteer) from jionlp's bundled data.

Run once, by hand, whenever the table should be refreshed; qmgraph never imports jionlp.
jionlp (Apache-2.0) is installed in a throwaway venv, not in the project's::

    python3 -m venv /tmp/jvenv && /tmp/jvenv/bin/pip install jionlp
    /tmp/jvenv/bin/python scripts/build_divisions.py            # writes data/divisions.csv

The script only reads jionlp's data files (``dictionary/china_location.zip`` and
``dictionary/china_location_change.txt``); it does not call jionlp's parser. It locates them
with ``importlib.util.find_spec`` so it does not run jionlp's heavy package import either.

china_location.txt is an indented tree: depth 0 province, 1 prefecture, 2 county
(``name<TAB>code<TAB>alias``), 3 town, 4 village (names only). We keep depths 0–2 and:

* collapse the pseudo rows jionlp uses as intermediate parents: the 直辖市 repeated as its
  own city (上海市 310000 under 上海市 310000) and 省直辖县级行政区划 (429000, 419000, 469000,
  659000): their counties get the province as parent, as in GB/T 2260's hierarchy;
* drop rows that are not GB/T 2260 divisions: 市直辖行政区划 under 东莞/中山/儋州/嘉峪关 (same
  code as the city), the districts of 香港/澳门 (all carry the region's code), the cities
  and counties of 台湾 (codes that GB/T 2260 does not define) and the national statistics
  bureau's functional zones (开发区, 园区, 管理区…: county part 71–79, which GB/T 2260 leaves
  unassigned);
* correct the few codes jionlp kept from before a change (see ``CODE_FIXES``).
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "divisions.csv"

# jionlp renamed these after 撤县设区 / re-parenting but kept the old code; the codes on the
# right are the ones the Ministry of Civil Affairs assigned with the change (2020–2021).
CODE_FIXES: dict[str, str] = {
    "新津区": "510118",  # 510132 新津县 → 新津区 (2020)
    "繁昌区": "340212",  # 340222 繁昌县 → 繁昌区 (2020)
    "湾沚区": "340209",  # 340221 芜湖县 → 湾沚区 (2020)
    "蓬莱区": "370614",  # 370684 蓬莱市 → 蓬莱区 (2020)
    "海门区": "320614",  # 320684 海门市 → 海门区 (2020)
    "任泽区": "130505",  # 130526 任县 → 任泽区 (2020)
    "南和区": "130506",  # 130527 南和县 → 南和区 (2020)
    "水城区": "520204",  # 520221 水城县 → 水城区 (2020)
    "公主岭市": "220184",  # 220381, moved from 四平市 to 长春市 (2020)
    "偃师区": "410307",  # 410381 偃师市 → 偃师区 (2021)
    "孟津区": "410308",  # 410322 孟津县 → 孟津区 (2021)
    "龙海区": "350604",  # 350681 龙海市 → 龙海区 (2021)
    "沙县区": "350405",  # 350427 沙县 → 沙县区 (2021)
    "新星市": "659011",  # jionlp has 650929; 新星市 is a 自治区直辖县级市 (2021)
}

PROVINCE_DIRECT = "省直辖行政区划"  # jionlp's name for GB/T 2260 "省直辖县级行政区划" (xx9000)
CITY_DIRECT = "市直辖行政区划"

# Suffixes after which a county-level name's stem is its usual short form.
_COUNTY_STEM_SUFFIXES = ("自治县", "自治旗", "林区", "特区", "县", "市", "旗")


def jionlp_files() -> tuple[str, Path]:
    """Return jionlp's version and its ``dictionary`` directory, without importing it."""
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("jionlp is not installed in this interpreter (see the module docstring)")
    version = importlib.metadata.version("jionlp")
    return version, Path(next(iter(spec.submodule_search_locations))) / "dictionary"


def read_tree(dictionary: Path) -> list[tuple[int, str, str, str]]:
    """Rows ``(depth, name, code, alias)`` of depths 0–2 that carry a code, in file order."""
    with zipfile.ZipFile(dictionary / "china_location.zip") as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    rows = []
    for line in io.StringIO(text):
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth <= 2 and len(parts) == 3:
            rows.append((depth, parts[0], parts[1], parts[2]))
    return rows


def latest_change_year(dictionary: Path) -> int:
    """Year of the newest entry in jionlp's change log (dates lead each line)."""
    years = [
        int(m.group(1))
        for m in re.finditer(
            r"^(\d{4})-\d\d-\d\d",
            (dictionary / "china_location_change.txt").read_text("utf-8"),
            re.M,
        )
    ]
    return max(years)


def is_functional_zone(code: str) -> bool:
    """NBS statistical zones (开发区, 管理区…) use county part 71–79; GB/T 2260 does not."""
    return code[4:] != "00" and 71 <= int(code[4:]) <= 79


def collect(rows: list[tuple[int, str, str, str]]) -> dict[str, dict]:
    """Turn the tree into ``code → {name, alias, level, parent}`` with the fixes applied."""
    out: dict[str, dict] = {}
    province = city_parent = None
    for depth, name, code, alias in rows:
        if depth == 0:
            province = code
            city_parent = code
            out[code] = {"name": name, "alias": alias, "level": "provincial", "parent": ""}
            continue
        if province in ("710000", "810000", "820000"):
            continue  # 台湾/香港/澳门 subdivisions: no GB/T 2260 codes
        if depth == 1:
            if code == province or name == PROVINCE_DIRECT:
                city_parent = province  # 直辖市 repeated / 省直辖: counties hang off the province
                continue
            city_parent = code
            out[code] = {"name": name, "alias": alias, "level": "prefectural", "parent": province}
            continue
        if name == CITY_DIRECT or code == city_parent or is_functional_zone(code):
            continue
        code = CODE_FIXES.get(name, code)
        if code in out:
            raise SystemExit(f"duplicate code {code}: {out[code]['name']} / {name}")
        out[code] = {"name": name, "alias": alias, "level": "county", "parent": city_parent}
    return out


def short_names(entry: dict, reserved: set[str]) -> list[str]:
    """Short forms of one division, most specific first.

    ``reserved`` holds the names and short names of provinces and prefectures: a county stem
    that equals one of them (安阳县 → 安阳 = 安阳市) is never used for the county, so it is
    not listed.
    """
    name, level = entry["name"], entry["level"]
    aliases = [a for a in entry["alias"].split("/") if a and a != name and len(a) >= 2]
    if level == "provincial":
        return aliases
    if level == "prefectural":
        result: list[str] = []
        for a in aliases:
            # 凉山彝族自治州 is written 凉山州 as often as 凉山.
            if name.endswith("自治州") and not a.endswith("州"):
                result.append(a + "州")
            result.append(a)
        return list(dict.fromkeys(result))
    # County level. A bare district stem (和平, 河西, 城关) names a dozen places: none.
    if name.endswith("区") and not name.endswith(("林区", "特区")):
        return []
    if not name.endswith(_COUNTY_STEM_SUFFIXES):
        return []  # 大柴旦行政委员会, 中沙群岛的岛礁及其海域: no usual short form
    result = []
    for a in aliases:
        if a in reserved:
            continue
        # 峨边彝族自治县 → 峨边县 | 峨边: the 县 form is the one official texts use.
        if name.endswith("自治县") and not a.endswith("县"):
            result.append(a + "县")
        result.append(a)
    return list(dict.fromkeys(result))


def build(out_path: Path) -> int:
    version, dictionary = jionlp_files()
    entries = collect(read_tree(dictionary))
    reserved = set()
    for e in entries.values():
        if e["level"] != "county":
            reserved.add(e["name"])
            reserved.update(a for a in e["alias"].split("/") if a)
    for code, e in entries.items():
        if e["parent"] and e["parent"] not in entries:
            raise SystemExit(f"{code} {e['name']}: parent {e['parent']} missing")
    year = latest_change_year(dictionary)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8", newline="") as f:
        f.write(
            f"# source: jionlp {version} bundled china_location data (Apache-2.0), "
            f"GB/T 2260 changes up to {year}; built by scripts/build_divisions.py\n"
        )
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "short_names", "level", "parent"])
        for code in sorted(entries):
            e = entries[code]
            w.writerow(
                [code, e["name"], "|".join(short_names(e, reserved)), e["level"], e["parent"]]
            )
    return len(entries)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    n = build(args.out)
    print(f"wrote {n} divisions to {args.out}")


if __name__ == "__main__":
    main()
