"""Names written as institutes write them: first mention, later mention, sort order."""

from types import SimpleNamespace

import pytest

from podium.people import naming


def person(**fields):
    base = dict(
        honorific="",
        retired=False,
        given_names="",
        family_name="",
        post_nominals="",
        later_mention_override="",
        sort_as="",
    )
    return SimpleNamespace(**{**base, **fields})


def designation(position="", organisation="", comma=True):
    return SimpleNamespace(position=position, organisation=organisation, comma=comma)


def test_retired_brigadier_first_mention_without_comma_designation():
    amir = person(honorific="Brig", retired=True, given_names="Amir", family_name="Yaqub")
    assert naming.first_mention(amir, [designation("Director", "NIPS", comma=False)]) == (
        "Brig (Retd) Amir Yaqub, Director NIPS"
    )


def test_later_mention_drops_retd_and_given_names():
    kozin = person(honorific="Dr.", given_names="Vladimir", family_name="Kozin")
    assert naming.later_mention(kozin) == "Dr. Kozin"
    amin = person(honorific="Ambassador", retired=True, given_names="Shahid M", family_name="Amin")
    assert naming.later_mention(amin) == "Ambassador Amin"


def test_two_designations_joined_as_the_institute_writes_them():
    khan = person(honorific="Dr.", given_names="Ashfaque Hasan", family_name="Khan")
    designations = [
        designation("Principal", "NUST School of Social Sciences & Humanities"),
        designation("Director-General", "NIPS", comma=False),
    ]
    assert naming.first_mention(khan, designations) == (
        "Dr. Ashfaque Hasan Khan, Principal, NUST School of Social Sciences & Humanities, and Director-General NIPS"
    )


def test_three_designations_use_serial_comma():
    texts = naming.designations_text([designation("A"), designation("B"), designation("C")])
    assert texts == "A, B, and C"


def test_free_text_ranks_beyond_any_fixed_list():
    he = person(honorific="H.E.", given_names="Ivan", family_name="Petrov", post_nominals="PhD")
    assert naming.styled_name(he) == "H.E. Ivan Petrov PhD"
    general = person(honorific="Major General", retired=True, given_names="Inam ul", family_name="Haque")
    assert naming.first_mention(general, []) == "Major General (Retd) Inam ul Haque"


def test_designation_with_position_only():
    amin = person(honorific="Ambassador", retired=True, given_names="Shahid M", family_name="Amin")
    assert naming.first_mention(amin, [designation("veteran diplomat and author")]) == (
        "Ambassador (Retd) Shahid M Amin, veteran diplomat and author"
    )


def test_no_rank_later_mention_is_family_name_and_override_wins():
    assert naming.later_mention(person(given_names="Ali", family_name="Shah")) == "Shah"
    haque = person(honorific="Major General", family_name="Haque", later_mention_override="General Haque")
    assert naming.later_mention(haque) == "General Haque"


@pytest.mark.parametrize(
    "people, expected",
    [
        ([("Vladimir", "Kozin", ""), ("Atia Ali", "Kazmi", ""), ("Amir", "Yaqub", "")], ["Kazmi", "Kozin", "Yaqub"]),
        ([("Inam ul", "Haque", ""), ("Ali", "Shah", "Aaa")], ["Shah", "Haque"]),
    ],
)
def test_sort_order_by_family_name_or_explicit_key(people, expected):
    objs = [person(given_names=g, family_name=f, sort_as=s) for g, f, s in people]
    assert [p.family_name for p in sorted(objs, key=naming.sort_key)] == expected


def test_person_model_uses_the_one_formatter(make_person):
    p = make_person(
        honorific="Dr.",
        given_names="Atia Ali",
        family_name="Kazmi",
        designations=[("Senior Policy Analyst", "NIPS", True)],
    )
    assert p.first_mention == "Dr. Atia Ali Kazmi, Senior Policy Analyst, NIPS"
    assert p.later_mention == "Dr. Kazmi"
    assert p.slug == "atia-ali-kazmi"
