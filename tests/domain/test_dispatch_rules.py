"""SPEC 2: the dispatch catalogue picks the lead unit by competence and territory."""

from hypothesis import given
from hypothesis import strategies as st

from hotline.domain.dispatch_rules import Rule, choose

# 小类 → 中类 → 大类
NOISE_AT_NIGHT = ("010203", "0102", "01")
# community → town → district → city
IN_CHENGLING_TOWN = ("43060201001", "430602010", "430602", "430600")
OTHER_DISTRICT = "430603"


def pick(rules, category_codes=NOISE_AT_NIGHT, region_codes=IN_CHENGLING_TOWN):
    return choose(rules, category_codes=category_codes, region_codes=region_codes)


def test_most_specific_category_wins():
    broad = Rule("01", None, "city_admin")
    middle = Rule("0102", None, "environment_bureau")
    narrow = Rule("010203", None, "police")
    assert pick([broad, middle, narrow]) == narrow
    assert pick([broad, middle]) == middle
    assert pick([broad]) == broad


def test_most_specific_category_wins_over_a_region_specific_broader_rule():
    district_broad = Rule("01", "430602", "district_government")
    narrow_any_region = Rule("010203", None, "police")
    assert pick([district_broad, narrow_any_region]) == narrow_any_region


def test_region_specific_rule_beats_any_region_rule_for_the_same_category():
    anywhere = Rule("010203", None, "environment_bureau")
    district = Rule("010203", "430602", "district_government")
    assert pick([anywhere, district]) == district
    assert pick([district, anywhere]) == district


def test_city_rule_beats_any_region_rule_for_the_same_category():
    anywhere = Rule("010203", None, "environment_bureau")
    city = Rule("010203", "430600", "city_department")
    assert pick([anywhere, city]) == city


def test_the_most_local_region_wins_for_the_same_category():
    city = Rule("010203", "430600", "city_department")
    district = Rule("010203", "430602", "district_government")
    town = Rule("010203", "430602010", "town_government")
    assert pick([city, district, town]) == town
    assert pick([city, district]) == district


def test_rule_for_the_district_applies_to_an_order_in_a_town_of_that_district():
    district = Rule("010203", "430602", "district_government", co_units=("police",))
    chosen = pick([district], region_codes=("430602010", "430602", "430600"))
    assert chosen == district
    assert chosen.lead == "district_government"
    assert chosen.co_units == ("police",)


def test_rule_for_another_district_never_applies():
    other = Rule("010203", OTHER_DISTRICT, "other_district_government")
    assert pick([other]) is None
    anywhere = Rule("01", None, "city_admin")
    assert pick([other, anywhere]) == anywhere


def test_rule_for_a_town_does_not_apply_to_an_order_placed_only_at_district_level():
    town = Rule("010203", "430602010", "town_government")
    assert pick([town], region_codes=("430602", "430600")) is None


def test_no_matching_rule_gives_none():
    assert pick([]) is None
    assert pick([Rule("02", None, "social_security")]) is None


def test_order_without_region_matches_only_any_region_rules():
    district = Rule("010203", "430602", "district_government")
    anywhere = Rule("0102", None, "environment_bureau")
    assert pick([district, anywhere], region_codes=()) == anywhere


REGIONS = st.sampled_from([None, *IN_CHENGLING_TOWN, OTHER_DISTRICT])
CATEGORIES = st.sampled_from([*NOISE_AT_NIGHT, "02", "0201"])
RULES = st.lists(
    st.builds(Rule, CATEGORIES, REGIONS, st.sampled_from(["u1", "u2", "u3"])), max_size=12
)


@given(RULES)
def test_chosen_rule_matches_the_order_and_no_rule_is_more_specific(rules):
    chosen = pick(rules)
    applicable = [
        r
        for r in rules
        if r.category_code in NOISE_AT_NIGHT
        and (r.region_code is None or r.region_code in IN_CHENGLING_TOWN)
    ]
    if not applicable:
        assert chosen is None
        return

    def rank(rule):
        region = (
            len(IN_CHENGLING_TOWN)
            if rule.region_code is None
            else IN_CHENGLING_TOWN.index(rule.region_code)
        )
        return NOISE_AT_NIGHT.index(rule.category_code), region

    assert chosen in applicable
    assert rank(chosen) == min(rank(r) for r in applicable)


@given(RULES)
def test_order_of_the_catalogue_does_not_change_the_most_specific_match(rules):
    chosen, reversed_choice = pick(rules), pick(list(reversed(rules)))
    if chosen is None:
        assert reversed_choice is None
    else:
        assert (chosen.category_code, chosen.region_code) == (
            reversed_choice.category_code,
            reversed_choice.region_code,
        )
