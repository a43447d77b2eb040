import datetime as dt

from edition import i18n


def test_every_string_exists_in_both_languages() -> None:
    assert i18n.EN.keys() == i18n.ZH.keys()
    # templates write v.ui.key: a key named like a dict method would give the method instead
    assert not [k for k in i18n.EN if k in dir(dict)]
    assert all(i18n.EN[k] and i18n.ZH[k] for k in i18n.EN)


def test_dates_as_each_language_writes_them() -> None:
    d = dt.date(2014, 11, 9)
    assert i18n.format_date(d, "en") == "9 November 2014"
    assert i18n.format_date(d, "zh") == "2014年11月9日"
    assert i18n.format_range(dt.date(2014, 11, 19), dt.date(2014, 11, 21), "en") == "19–21 November 2014"
    assert i18n.format_range(dt.date(2014, 11, 19), dt.date(2014, 12, 1), "zh") == "2014年11月19日至2014年12月1日"


def test_other_keys_fall_back() -> None:
    assert i18n.ui("zh-Hant") is i18n.ZH
    assert i18n.ui("fr") is i18n.EN
    assert i18n.language_name("en", "zh", "English") == "英文"
    assert i18n.language_name("fr", "zh", "Français") == "Français"
