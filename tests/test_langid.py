import json
import re
import subprocess
import sys

import pytest

from newsingest.stages.extract import extract_article
from newsingest.stages.langid import MIN_LETTERS, Guess, detect, detect_language, language_shares


@pytest.mark.parametrize(
    "text",
    [
        "", "   \n\t", "1234567890 ۱۲۳۴ ٤٥٦", "https://example.com/a/b?c=1&lang=english",
        "info@example.com @handle #hashtag", "🙂🙂🎉🎉🎉", "a", "!!! ... ???", "ب", "\u200c\u200e\ufeff",
    ],
    ids=["empty", "blank", "digits", "url", "email-handle", "emoji", "one-letter", "punctuation", "one-arabic-letter", "invisible"],
)
def test_too_little_text_is_und_never_an_exception(text):
    assert detect_language(text) == ("und", 0.0)


def test_threshold_is_on_letters():
    assert detect_language("x" * (MIN_LETTERS - 1))[0] == "und"
    assert detect_language(None) == ("und", 0.0)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("وزیر امور خارجه چین در دیدار با همتای روس خود اعلام کرد که پکن آماده همکاری است", "fa"),
        ("أجرى وزير الخارجية الصيني اليوم محادثات مع نظيره الروسي في مدينة ناننينغ", "ar"),
        ("وزیراعظم نے کہا ہے کہ حکومت عوام کے مسائل حل کرنے کے لیے پرعزم ہے", "ur"),
        ("د افغانستان په پلازمېنه کابل کې نن سهار یوه چاودنه وشوه او ښاروالۍ وویل چې سړکونه به ژر جوړ شي", "ps"),
        ("ئەمڕۆ لە شاری هەولێر کۆبوونەوەیەک بۆ باسکردنی دۆخی ئابووری ئەنجامدرا", "ckb"),
        ("بۈگۈن ئۈرۈمچىدە ۋىلايەتلىك يىغىن ئېچىلدى ۋە مۇھىم قارارلار چىقىرىلدى", "ug"),
        ("Perdana Menteri Tiongkok mengunjungi Belarus dan mengadakan pembicaraan dengan mitranya", "id"),
        ("Премьер-министр Китая посетил Беларусь и провёл переговоры с коллегой", "ru"),
        ("Прем'єр-міністр Китаю відвідав Білорусь і провів переговори", "uk"),
        ("中国总理访问白俄罗斯并与白俄罗斯总理举行会谈", "zh"),
        ("Ο πρωθυπουργός της Κίνας επισκέφθηκε τη Λευκορωσία", "el"),
    ],
)
def test_languages(text, lang):
    got, score = detect_language(text)
    assert got == lang and 0.5 < score <= 1.0


def test_persian_typed_with_arabic_letters_is_persian():
    persian = "این کتاب را یکی از دوستان من برای کتابخانه خرید و به آن هدیه کرد"
    arabic_typed = persian.replace("ی", "ي").replace("ک", "ك")
    assert detect_language(arabic_typed)[0] == "fa"


def test_persian_article_with_an_english_footer():
    persian = "وزیر امور خارجه چین در دیدار با همتای روس خود اعلام کرد که پکن آماده همکاری است."
    footer = ["Related articles", "Share this article on Facebook", "© 2024 Example News. All rights reserved."]
    body = "\n".join([persian] * 3 + footer)
    article = extract_article(body)
    assert detect_language(article.text)[0] == "fa"
    # Even left in the text, Latin letters do not outvote a fifth or more of Persian ones.
    assert detect_language(persian + " " + " ".join(footer * 2))[0] == "fa"


def test_allowed_languages_restrict_the_candidates():
    text = "Perdana Menteri Tiongkok mengunjungi Belarus dan mengadakan pembicaraan dengan mitranya"
    assert detect(text, {"fa", "ar", "en"}).language == "en"
    assert detect(text, {"fa", "ar"}).language == "und"  # no candidate writes Latin script
    assert detect("中国总理访问白俄罗斯", {"zh"}).language == "zh"


def test_mixed_language_text_reports_shares():
    persian = "وزیر امور خارجه چین در دیدار با همتای روس خود اعلام کرد که پکن آماده ادامه همکاری با مسکو است. " * 8
    indonesian = "Perdana Menteri Tiongkok mengunjungi Belarus dan mengadakan pembicaraan dengan mitranya di sana. " * 8
    shares = language_shares(persian + "\n\n" + indonesian)
    assert set(shares) == {"fa", "id"} and abs(sum(shares.values()) - 1) < 0.01
    assert language_shares(persian + "\n\n" + persian) is None
    assert language_shares(persian + "\n\nThe end.") is None  # a small part is not a real part


def test_a_short_latin_part_needs_no_langdetect(monkeypatch):
    import newsingest.stages.langid as langid

    persian = "وزیر امور خارجه چین در دیدار با همتای روس خود اعلام کرد که پکن آماده ادامه همکاری با مسکو است. " * 8
    indonesian = "Perdana Menteri Tiongkok mengunjungi Belarus dan mengadakan pembicaraan dengan mitranya di sana. " * 8
    calls = []
    real = langid._langdetect
    monkeypatch.setattr(langid, "_langdetect", lambda text, languages: calls.append(text) or real(text, languages))
    # Too few letters to be a real part, whatever its language: not detected.
    assert language_shares(persian + "\n\nOriginally published at", None, "fa", 0.8) is None
    assert calls == []
    # A real part is detected.
    assert set(language_shares(persian + "\n\n" + indonesian, None, "fa", 0.8)) == {"fa", "id"}


def _script_counts_by_translate(text):
    """script_counts as first written: one translate table, then a Counter."""
    from collections import Counter

    from newsingest.stages.langid import _SCRIPT_NAMES, _TRANSLATE

    return Counter({_SCRIPT_NAMES[tag]: n for tag, n in Counter(text.translate(_TRANSLATE)).items()})


@pytest.mark.parametrize(
    "text",
    [
        "", "plain ASCII text, with digits 123", "سلام دنیا " * 40, "Hello سلام Привет " * 30, "Привет " * 50 + "x",
        "ژ" + "a" * 300, "😀" * 100 + "سلام" * 60, "\ud800 lone surrogate " * 20 + "ب" * 200, "é" * 159, "é" * 161,
        "中文 日本語 한국어 " * 30,
    ],
)
def test_script_counts_by_array_are_those_of_the_translate_table(text):
    from newsingest.stages.langid import script_counts

    counts = script_counts(text)
    assert list(counts.items()) == list(_script_counts_by_translate(text).items())  # order too: it breaks ties


SNIPPETS = [
    "ok ok ok ok ok ok ok ok",
    "Selamat pagi dunia, apa kabar semua",
    "این یک متن کوتاه است",
    "das ist ein kurzer Satz hier",
    "Там дебилы какие-то",
]


def test_same_labels_in_another_process_and_order():
    here = [detect_language(text) for text in SNIPPETS]
    code = (
        "import sys, json; from newsingest.stages.langid import detect_language; "
        "texts = json.loads(sys.stdin.read()); "
        "print(json.dumps([detect_language(t) for t in reversed(texts)][::-1]))"
    )
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", code], input=json.dumps(SNIPPETS), capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        )
        assert [tuple(pair) for pair in json.loads(run.stdout)] == here


def test_the_library_function_and_the_record_agree_on_a_mixed_text():
    from newsingest.io.container import Member
    from newsingest.stages.langid import identify
    from newsingest.stages.split import member_to_record

    persian = ("همکاری‌های بین‌المللی دانشگاه در سال گذشته گسترش یافت و پژوهشگران از کشورهای "
               "گوناگون به این طرح پیوستند تا نتایج را با هم بررسی کنند. ")
    english = "The university expanded its international cooperation last year with researchers from many countries. "
    text = "\n\n".join([english * 3] + [persian * 3] * 3)
    found = identify(text)
    assert found.language == "fa" and found.shares and set(found.shares) == {"fa", "en"}
    record = member_to_record(Member("c.txt", "a", 1, 1, text), "a")
    assert (record.language, record.language_score, [(s.language, s.share) for s in record.languages]) == (
        found.language, found.score, list(found.shares.items()))
    assert detect_language(text) == (record.language, record.language_score)


# --- Malay against Indonesian ----------------------------------------------------------------------

MALAY = [
    "Kerajaan negeri akan membina sebuah hospital baharu di daerah itu tahun depan, kata beliau kepada pemberita semalam.",
    "Polis memaklumkan bahawa pemandu kenderaan tersebut boleh dikenakan tindakan kerana memandu melebihi had laju.",
    "Harga minyak masak dijangka naik selepas bekalan dari luar negara berkurangan sejak awal Ogos lalu.",
    "Pelajar sekolah rendah di kawasan pedalaman masih menghadapi masalah bekalan elektrik yang tidak menentu.",
]
INDONESIAN = [
    "Pemerintah daerah akan membangun rumah sakit baru di kabupaten itu tahun depan, kata dia kepada wartawan kemarin.",
    "Polisi menyebut sopir kendaraan tersebut bisa dikenai sanksi karena mengemudi melebihi batas kecepatan.",
    "Harga minyak goreng diperkirakan naik setelah pasokan dari luar negeri berkurang sejak awal Agustus lalu.",
    "Siswa sekolah dasar di daerah terpencil masih menghadapi masalah pasokan listrik yang tidak menentu, ujarnya.",
]


@pytest.mark.parametrize("text", MALAY)
def test_malay_is_told_from_indonesian(text):
    assert detect(text).language == "ms"
    assert detect(text, {"ms", "id"}).language == "ms"
    assert detect(text, {"id"}).language == "id"  # Malay is no candidate: the nearest is
    assert detect(text, {"ms"}).language == "ms"


@pytest.mark.parametrize("text", INDONESIAN)
def test_indonesian_stays_indonesian(text):
    assert detect(text).language == "id"
    assert detect(text, {"ms", "id"}).language == "id"
    assert detect(text, {"ms", "en"}).language == "ms"  # Indonesian is no candidate: the nearest is


def test_evidence_counts_whole_words_in_any_case():
    from newsingest.stages.langid import evidence_counts

    assert evidence_counts("Kerajaan BOLEH kanak-kanak; karena polis") == (3, 1, 5)  # boleh, kanak-kanak: half each
    assert evidence_counts("berkeraJaan kebolehan bisanya kanak") == (0, 0, 4)  # parts of words are no evidence


def test_a_soft_hyphen_does_not_break_a_word():
    from newsingest.stages.langid import evidence_counts, malay_score

    assert evidence_counts("bo\u00adleh ke\u00adra\u00adjaan") == (1.5, 0, 2)
    assert malay_score("men\u00adcari pe\u00adniaga") == malay_score("mencari peniaga")


# Malay and Indonesian leads written for these tests: the words each side writes for government,
# because and money; Malay leads that hold none of the hand-written words of `[langid] evidence`.
MALAY_MARKED = "Kerajaan akan memberi wang bantuan kepada nelayan kerana cuaca buruk menjejaskan pendapatan mereka."
INDONESIAN_MARKED = "Pemerintah akan memberikan uang bantuan kepada nelayan karena cuaca buruk mengganggu pendapatan mereka."
MALAY_UNMARKED = [
    "Pihak berkuasa tempatan akan mengambil tindakan tegas terhadap peniaga yang enggan mematuhi peraturan itu.",
    "Penduduk kampung itu bergotong-royong membersihkan longkang dan parit yang tersumbat akibat hujan lebat.",
]


def test_kerajaan_kerana_wang_are_malay_pemerintah_karena_uang_indonesian():
    assert detect(MALAY_MARKED) == Guess("ms", 1.0)
    assert detect(INDONESIAN_MARKED) == Guess("id", 1.0)


@pytest.mark.parametrize("text", MALAY_UNMARKED)
def test_malay_without_hand_written_words_is_told_by_word_frequencies(text):
    from newsingest.stages.langid import evidence_counts, malay_score

    assert evidence_counts(text)[:2] == (0, 0)
    assert malay_score(text) > 0
    found = detect(text)
    # Decided by a small margin: a weaker score than a lead full of Malay words.
    assert found.language == "ms" and 0.5 < found.score < 0.9


def test_one_malay_word_among_indonesian_words_is_outweighed():
    sentence = "Layanan di sana masih perlu diperbaiki, menurut para pengunjung yang datang."  # layanan, menurut, para
    assert detect(f"Kualiti {sentence.lower()}").language == "id"
    assert detect(" ".join([f"Kualiti {sentence.lower()}"] + [sentence] * 8)).language == "id"
    neutral = "Tidak perlu kita berdebat jika kita semua sepakat dengan rencana yang ada di depan mata."
    assert detect(f"Kualiti itu, {neutral.lower()}").language == "ms"  # nothing speaks against kualiti here


def test_the_malay_indonesian_word_ratios_are_words_within_their_bounds():
    from newsingest.stages.langid import malay_ratios

    ratios = malay_ratios()
    assert len(ratios) > 20_000
    assert all(re.fullmatch("[a-z]+", word) for word in ratios)
    assert all(0.5 <= abs(ratio) <= 1.5 for ratio in ratios.values())
    assert ratios["sahaja"] > 0 > ratios["bisa"]  # Malay's `only`, Indonesian's `can`
    assert "yang" not in ratios and "dan" not in ratios  # shared words count nothing


def test_without_evidence_a_malay_looking_text_stays_indonesian():
    text = "Tidak perlu kita berdebat jika kita semua sepakat dengan rencana yang ada di depan mata."
    assert detect(text).language == "id"


def test_a_malay_article_is_one_language_not_a_mix():
    from newsingest.stages.langid import identify

    text = "\n\n".join(MALAY * 3)
    found = identify(text)
    assert (found.language, found.shares) == ("ms", None)


def test_split_lang_ms(in_root, invoke, tmp_path):
    from .conftest import container, write

    data = container(
        f"a|{MALAY[0]}\n{MALAY[1]}", f"b|{INDONESIAN[0]}\n{INDONESIAN[1]}", f"c|{MALAY_UNMARKED[0]}\n{MALAY_UNMARKED[1]}"
    )
    path = write(tmp_path / "c.txt", data)
    for args, stdin in (([path], None), (["-"], data)):
        result = invoke(["split", "--lang", "ms,id", *args], input=stdin)
        assert (result.exit_code, result.stderr) == (0, "")
        assert [json.loads(line)["language"] for line in result.stdout.splitlines()] == ["ms", "id", "ms"]


# --- short non-text records ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Laporan Wartawan Tribunnews.com, Budi Santoso", "Reporter: Siti Aminah & Joko Widodo", "Kompas.com (Blog)",
        "– BERNAMA", "Harian Metro Online", "Sumber: Reuters, AFP", "Editor: Hendra Gunawan",
    ],
)
def test_credit_lines_and_site_names_are_weak_guesses(text):
    language, score = detect_language(text)
    assert language == "und" or score < 0.5


def test_a_bare_url_is_und():
    assert detect_language("https://www.example.co.id/berita/2024/05/01/harga-beras-naik-lagi-di-pasar") == ("und", 0.0)


def test_a_short_sentence_keeps_its_label_with_a_weak_score_a_long_one_a_strong_score():
    short = detect("Harga beras naik lagi.")
    long = detect(INDONESIAN[0])
    assert short.language == long.language == "id"
    assert short.score < 0.5 <= long.score


# langdetect's own Detector against newsingest's copy of its computation: the same probabilities to the
# last bit, with the draws from the stream or from Random itself, for every script's candidates, texts at the edges of its cleaning (addresses, runs of
# spaces, capitals, Latin words in another script, Vietnamese marks, a text over its 10,000 characters).
_LANGDETECT_TEXTS = [
    "Perdana Menteri Tiongkok mengunjungi Belarus dan mengadakan pembicaraan dengan mitranya",
    "The PRIME Minister of CHINA visited Belarus   and  held talks with his counterpart",
    "Le Premier ministre chinois s'est rendu au Bélarus — http://example.com/a?b=1 écrire à a.b@example.com",
    "Thủ tướng Trung Quốc đã đến thăm Belarus và hội đàm với người đồng cấp",
    "Thu\u0309 tu\u031bo\u031b\u0301ng Trung Quô\u0301c",
    "وزیر امور خارجه چین در دیدار با همتای روس خود اعلام کرد که پکن آماده همکاری است NATO",
    "Премьер-министр Китая посетил Беларусь и провёл переговоры с коллегой",
    "ABC DEF GHI jkl", "x", "!!! ???", "Ñandú Ţara Şi ș ț ÀÉÎ", "ab " * 4000,
]


@pytest.mark.parametrize("text", _LANGDETECT_TEXTS)
@pytest.mark.parametrize("languages", [("id", "tl", "en"), ("ar", "fa", "ur"), ("bg", "mk", "ru", "uk"), (
    "af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id", "it", "lt",
    "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw", "tl", "tr", "vi")])
@pytest.mark.parametrize("how", ["stream", "own random", "little memory"])
def test_langdetect_computed_as_langdetect_does(monkeypatch, text, languages, how):
    import os

    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    from newsingest.stages import langid

    if how == "own random":  # a Python whose Random draws otherwise than the stream assumes
        monkeypatch.setattr(langid, "_stream_checked", [False])
    if how == "little memory":  # the words' n-grams forgotten every other word
        monkeypatch.setattr(langid, "_REMEMBERED_WORDS", 2)

    factory = DetectorFactory()
    factory.load_json_profile([open(os.path.join(PROFILES_DIRECTORY, lang), encoding="utf-8").read() for lang in languages])
    factory.seed = 0
    detector = factory.create()
    detector.append(langid.sample(text))
    try:
        expected = [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException:
        expected = []
    profiles = langid._profiles_of(languages)
    rows = langid._ngrams(langid._langdetect_text(langid.sample(text)), profiles)
    found = []
    if rows:
        probabilities = langid._detect_block(profiles, rows)
        found = sorted([(lang, p) for lang, p in zip(profiles.languages, probabilities) if p > 0.1],
                       key=lambda item: item[1], reverse=True)
    assert found == expected
    guess = langid._langdetect(text, languages)
    assert (guess.language, guess.score) == (expected[0][0], round(expected[0][1], 4)) if expected else guess is None


def _counting_langdetect(monkeypatch):
    from newsingest.stages import langid

    calls = []
    real = langid._langdetect
    monkeypatch.setattr(langid, "_langdetect", lambda text, languages: calls.append(text) or real(text, languages))
    return calls


@pytest.mark.parametrize("text, lang", [
    ("Polisi menangkap seorang pria atas dugaan pembunuhan setelah seorang wanita ditikam hingga tewas. "
     "Penyelidikan telah dilakukan dan warga diminta untuk tetap tenang.", "id"),
    ("Kerajaan negeri akan memberi bantuan kepada mangsa banjir yang terjejas, kata beliau dalam kenyataan "
     "semalam. Bantuan itu diberi kerana ramai penduduk kehilangan wang dan harta benda.", "ms"),
    ("The minister said that the plan was not ready and that it would be discussed with the unions.", "en"),
    ("Der Minister sagte, dass der Plan noch nicht fertig sei und mit den Gewerkschaften besprochen werde.", "de"),
])
def test_short_texts_clear_in_their_function_words_need_no_langdetect(monkeypatch, text, lang):
    calls = _counting_langdetect(monkeypatch)
    assert len(text) < 250
    assert detect(text).language == lang
    assert calls == []


@pytest.mark.parametrize("text", [
    # Czech: `na`, `do`, `se`, `o` are Portuguese function words too, but none of three letters or more.
    "Prezident se vrátil do Prahy a na tiskové konferenci mluvil o situaci na hranicích a o pomoci na jihu.",
    # Tagalog: `na` six times, `at` once; too few words of Portuguese or English to decide.
    "Sinabi ng pangulo na handa na ang pamahalaan at na ang tulong ay darating na sa mga lugar na binaha na.",
])
def test_short_texts_of_other_languages_are_left_to_langdetect(monkeypatch, text):
    calls = _counting_langdetect(monkeypatch)
    detect(text)
    assert len(calls) == 1


def test_langdetect_draws_come_from_the_stream_on_this_python():
    from newsingest.stages import langid

    assert langid._stream_matches_random()
