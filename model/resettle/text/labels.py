"""Human-readable names of metrics and scenarios, in English and Chinese.

Chinese terms follow the source study (``shared/seed/000_*.txt``): 方案一 / 方案二 for the two
schemes (§4(一)), 物业管理费 for the property fee (§4(一) 方案一 经费), 观念转变 and 市民 for
the change from villager to citizen (§2(2), §4(三) "村民变为居民"), 组织 for organisations.
"""

from __future__ import annotations

LANGS = ("en", "zh")

LABELS = {
    "en": {
        "attitude": "Attitude (villager 0 → citizen 1)",
        "fee_compliance": "Fee compliance",
        "fee_collection": "Fee collection",
        "fee_willingness": "Willingness to pay the full fee",
        "employment": "Employment rate (working age)",
        "maturity": "Organisational maturity",
        "stability": "Stability",
        "own_fee_share": "Share of the full fee households pay",
        "scheme_conformity": "Conformity with Scheme 2's design",
        "maturity_participation": "Participation",
        "maturity_self_government": "Self-government",
        "maturity_cadres": "Cadre capacity",
        "maturity_separation": "Community-enterprise separation",
        "maturity_democracy": "Democratic procedure",
    },
    "zh": {
        "attitude": "观念转变（村民 0 → 市民 1）",
        "fee_compliance": "物业管理费缴纳率",
        "fee_collection": "物业管理费收缴率",
        "fee_willingness": "愿意足额缴纳物业管理费的比例",
        "employment": "就业率（劳动年龄人口）",
        "maturity": "组织成熟度",
        "stability": "社区稳定",
        "own_fee_share": "居民自缴费用占全部费用的比例",
        "scheme_conformity": "与方案二设计的一致程度",
        "maturity_participation": "居民参与",
        "maturity_self_government": "居民自治",
        "maturity_cadres": "干部能力",
        "maturity_separation": "社企分开",
        "maturity_democracy": "民主程序",
    },
}

SCENARIO_NAMES = {
    "en": {"scheme1": "Scheme 1 (transitional)", "scheme2": "Scheme 2 (normative)",
           "phased": "Phased (Scheme 1 → Scheme 2)", "baseline": "Baseline",
           "triggered": "Triggered (Scheme 1 → Scheme 2 when signposts hold)"},
    "zh": {"scheme1": "方案一（过渡型）", "scheme2": "方案二（规范型）",
           "phased": "分步过渡（方案一 → 方案二）", "baseline": "基准",
           "triggered": "信号触发转换（方案一 → 方案二）"},
}


def check_lang(lang: str) -> str:
    """``lang`` if it is supported; ValueError naming the allowed values otherwise."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not supported: allowed values are "
                         + ", ".join(LANGS))
    return lang


def metric_label(metric: str, lang: str = "en") -> str:
    """The display name of a metric (the column name if none is defined)."""
    return LABELS[check_lang(lang)].get(metric, metric.replace("_", " "))


def scenario_label(name: str, lang: str = "en") -> str:
    """The display name of a scenario: the known schemes by name, any other as given."""
    return SCENARIO_NAMES[check_lang(lang)].get(name, name)
