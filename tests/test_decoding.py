"""Short files in a legacy encoding are read as the text they are: GB and Big5 share byte
ranges, and a few bytes can also be valid UTF-8 by chance."""

import pytest

from sources.decoding import decode


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("資訊", "big5"),  # also reads as GB "戈癟", whose 癟 is not a GB2312 character
        ("資訊安全", "big5"),
        ("說明", "big5"),
        ("臺灣", "big5"),
        ("信息", "gb18030"),
        ("网络", "gb18030"),
        ("资讯", "gb18030"),
        ("一些", "gb18030"),  # also valid UTF-8: Cyrillic "һЩ"
        ("一位", "gb18030"),
    ],
)
def test_a_two_or_four_character_file_reads_as_written(text, encoding):
    assert decode(text.encode(encoding)) == (text, encoding)


def test_utf8_with_a_few_accented_letters_stays_utf8():
    assert decode("Hervé Jégou 說".encode()) == ("Hervé Jégou 說", "utf-8")
    assert decode("Crème brûlée".encode()) == ("Crème brûlée", "utf-8")
