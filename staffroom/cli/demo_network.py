"""The demo's directory listings and starter packs (``staffroom demo``), written through the
services as a person would: most demo people list themselves in the directory with the
default fields (subject, level, country, languages, role) and a line about why to follow
them; three of them curate a starter pack each, every person with a one-line reason.
A few people stay out of the directory, as some would."""

from __future__ import annotations

from sqlalchemy import Connection

from staffroom.services import collections, directory
from staffroom.services.directory_fields import DirectoryField

# username: (subjects, levels, country, languages, roles, why follow me)
Listing = tuple[tuple[str, ...], tuple[str, ...], str, tuple[str, ...], tuple[str, ...], str]

LISTINGS: dict[str, Listing] = {
    "rachel_byrne_elt": (
        ("elt",),
        ("adult",),
        "IE",
        ("en", "ga"),
        ("trainer",),
        "Pronunciation ideas you can use on Monday, and #ELTChat every week.",
    ),
    "marta_elt": (
        ("elt",),
        ("secondary", "adult"),
        "PL",
        ("pl", "en"),
        ("teacher", "leader"),
        "Dogme and unplugged lessons that work with teenagers.",
    ),
    "sandy_in_seoul": (
        ("elt",),
        ("primary",),
        "KR",
        ("en", "ko"),
        ("teacher",),
        "Young learners' activities and materials I write and share.",
    ),
    "diego_bizeng": (
        ("elt", "economics"),
        ("adult",),
        "AR",
        ("es", "en"),
        ("teacher",),
        "Business English with tasks, podcasts and real meetings.",
    ),
    "aylin_eap": (
        ("elt",),
        ("higher",),
        "TR",
        ("tr", "en"),
        ("teacher",),
        "Academic writing help for students heading to university.",
    ),
    "kenji_reads": (
        ("elt",),
        ("secondary",),
        "JP",
        ("ja", "en"),
        ("teacher",),
        "Extensive reading: graded readers, reading logs, what students pick.",
    ),
    "mr_okafor": (
        ("english", "early_literacy"),
        ("primary",),
        "GB",
        ("en",),
        ("teacher",),
        "Reading for pleasure and outdoor learning in Year 4.",
    ),
    "lena_hamburg": (
        ("languages", "art"),
        ("primary",),
        "DE",
        ("de", "en"),
        ("teacher",),
        "A bilingual classroom and maker projects with picture books.",
    ),
    "priya_ks1": (
        ("early_literacy",),
        ("early_years", "primary"),
        "GB",
        ("en", "hi"),
        ("teacher",),
        "Phonics and early reading, one small step at a time.",
    ),
    "sofia_3rdgrade": (
        ("english", "languages"),
        ("primary",),
        "US",
        ("en", "es"),
        ("teacher",),
        "Bilingual read-alouds and a calm classroom.",
    ),
    "fiona_chem": (
        ("science",),
        ("secondary",),
        "GB",
        ("en",),
        ("teacher",),
        "Practical chemistry and the misconceptions it uncovers.",
    ),
    "ibrahim_physics": (
        ("science",),
        ("secondary",),
        "AE",
        ("ar", "en"),
        ("teacher",),
        "Physics demos and modelling you can try tomorrow.",
    ),
    "bea_biology": (
        ("science",),
        ("secondary",),
        "BR",
        ("pt", "en"),
        ("teacher",),
        "Field trips and citizen science with real data.",
    ),
    "sam_whitfield": (
        ("science",),
        ("secondary",),
        "GB",
        ("en",),
        ("leader",),
        "Science curriculum design from a head of department.",
    ),
    "anjali_stem": (
        ("science", "computing"),
        ("primary", "secondary"),
        "IN",
        ("en", "hi"),
        ("teacher", "leader"),
        "Tinkering labs and getting more girls into STEM.",
    ),
    "maths_with_mo": (
        ("maths",),
        ("secondary",),
        "GB",
        ("en",),
        ("teacher",),
        "Variation theory and mini whiteboards, explained with examples.",
    ),
    "claire_maths": (
        ("maths",),
        ("secondary",),
        "FR",
        ("fr", "en"),
        ("teacher",),
        "Problem solving and manipulatives in a French collège.",
    ),
    "jess_numeracy": (
        ("maths",),
        ("primary",),
        "AU",
        ("en",),
        ("teacher", "trainer"),
        "Number talks and low-floor, high-ceiling tasks.",
    ),
    "peter_lindqvist": (
        ("maths",),
        ("secondary",),
        "SE",
        ("sv", "en"),
        ("teacher",),
        "Calculus with Desmos and thinking classrooms.",
    ),
    "amara_mensah": (
        ("maths",),
        ("secondary", "higher"),
        "GH",
        ("en",),
        ("teacher", "trainer"),
        "Mastery and the language of mathematics.",
    ),
    "kate_library": (
        ("english",),
        ("secondary",),
        "IE",
        ("en",),
        ("librarian",),
        "Book lists and information literacy from a school library.",
    ),
    "hamid_tl": (
        ("english", "edtech"),
        ("secondary",),
        "CA",
        ("en", "fa"),
        ("librarian",),
        "Media literacy and graphic novels for inquiry.",
    ),
    "head_jane": (
        ("other",),
        ("primary",),
        "GB",
        ("en",),
        ("leader",),
        "Workload, wellbeing and running a small rural school.",
    ),
    "maria_rossi": (
        ("languages",),
        ("primary", "secondary"),
        "IT",
        ("it", "en"),
        ("leader",),
        "Coaching and teacher voice in a bilingual school.",
    ),
    "nina_edtech": (
        ("edtech",),
        ("secondary",),
        "HU",
        ("hu", "en"),
        ("trainer",),
        "Fewer apps, better pedagogy, accessible by default.",
    ),
    "luis_oer": (
        ("edtech", "computing"),
        ("secondary",),
        "ES",
        ("es", "en"),
        ("trainer",),
        "Open educational resources and free software for schools.",
    ),
    "meilin_tan": (
        ("edtech",),
        ("secondary",),
        "SG",
        ("en", "zh"),
        ("trainer",),
        "AI literacy and assessment design for teachers.",
    ),
    "ingrid_solberg": (
        ("other",),
        ("higher",),
        "NO",
        ("no", "en"),
        ("researcher", "trainer"),
        "Research-informed practice without the jargon.",
    ),
    "yusuf_bello": (
        ("elt", "other"),
        ("primary", "secondary"),
        "NG",
        ("en",),
        ("trainer",),
        "Teaching large classes with few resources.",
    ),
    "annelie_celta": (
        ("elt",),
        ("adult",),
        "NL",
        ("nl", "en"),
        ("trainer",),
        "CELTA and DELTA: observation feedback and reflective practice.",
    ),
}

# owner, name, description, hashtags, [(member, reason)]
Pack = tuple[str, str, str, tuple[str, ...], tuple[tuple[str, str], ...]]

PACKS: tuple[Pack, ...] = (
    (
        "rachel_byrne_elt",
        "ELT people to follow",
        "English language teachers and trainers who share ideas you can use in class.",
        ("ELTChat", "CELTA"),
        (
            ("marta_elt", "Dogme and unplugged lessons with teenagers"),
            ("sandy_in_seoul", "Young learners' materials, freely shared"),
            ("diego_bizeng", "Business English that feels like real work"),
            ("aylin_eap", "Academic writing for university prep"),
            ("kenji_reads", "Extensive reading done well"),
            ("annelie_celta", "Thoughtful CELTA and DELTA trainer"),
            ("yusuf_bello", "Large classes, low resources, big ideas"),
        ),
    ),
    (
        "jess_numeracy",
        "Maths teachers worth following",
        "Maths teachers from five countries: tasks, number talks and mastery.",
        ("MTBoS", "maths"),
        (
            ("maths_with_mo", "Variation theory with worked examples"),
            ("claire_maths", "Problem solving and manipulatives"),
            ("peter_lindqvist", "Desmos and thinking classrooms"),
            ("amara_mensah", "Mastery and the language of maths"),
        ),
    ),
    (
        "nina_edtech",
        "Edtech without the hype",
        "People who use technology when it helps learning, and say so when it does not.",
        ("edtech",),
        (
            ("luis_oer", "Open educational resources"),
            ("meilin_tan", "AI literacy for teachers"),
            ("chris_evans_dig", "Screen-light digital skills"),
            ("hamid_tl", "Media literacy from the library"),
        ),
    ),
)


def fill_network(conn: Connection, fields: tuple[DirectoryField, ...], ids: dict[str, int]) -> int:
    """List the demo people in the directory and make the starter packs; returns how many
    people were listed."""
    for username, (subjects, levels, country, languages, roles, why) in LISTINGS.items():
        wanted = {
            "subject": subjects,
            "level": levels,
            "country": (country,),
            "languages": languages,
            "role": roles,
        }
        # An instance with its own field set keeps only what its fields accept.
        values = {
            f.name: [v for v in wanted.get(f.name, ()) if f.accepts(v)][: f.max_values]
            for f in fields
        }
        directory.save_entry(
            conn, fields, ids[username], listed=True, values=values, why_follow=why
        )
    for owner, name, description, tags, members in PACKS:
        pack = collections.create_pack(conn, ids[owner], name=name, description=description)
        for member, reason in members:
            collections.add_item(conn, ids[owner], pack.id, ids[member], reason)
        collections.set_tags(conn, ids[owner], pack.id, list(tags))
    return len(LISTINGS)
