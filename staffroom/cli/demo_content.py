"""The demo instance's people and posts: hand-written data, no logic.

Each :class:`Person` belongs to a ``group`` (their subject or role); groups shape the follow
graph. Posts are either stand-alone or the start of a thread (``replies`` nest). Replies start
with the ``@username`` of the post they answer, as clients write them. Every text fits 140
characters as Staffroom counts them (a link counts 23).
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "staffroom-demo-2026"
EMAIL_DOMAIN = "demo.staffroom.test"
ADMIN_USERNAME = "moderator"


@dataclass(frozen=True, slots=True)
class Person:
    username: str
    display_name: str
    group: str
    bio: str
    interests: tuple[str, ...]
    hub: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


@dataclass(frozen=True, slots=True)
class Post:
    author: str
    text: str
    replies: tuple[Post, ...] = ()
    visibility: str = "public"


def post(author: str, text: str, *replies: Post, visibility: str = "public") -> Post:
    """Shorthand for writing threads as nested calls."""
    return Post(author, text, replies, visibility)


P = post

PEOPLE: tuple[Person, ...] = (
    # English language teaching
    Person(
        "rachel_byrne_elt",
        "Rachel Byrne",
        "elt",
        "CELTA tutor and ELT blogger in Dublin. Pronunciation nerd, co-moderator of #ELTChat. "
        "Views my own, typos too.",
        ("ELTChat", "pronunciation", "CELTA"),
        hub=True,
    ),
    Person(
        "marta_elt",
        "Marta Kowalczyk",
        "elt",
        "DoS at a language school in Kraków. Teen classes, dogme, unplugged lessons and far "
        "too much coffee. #ELTChat #dogme",
        ("ELTChat", "dogme", "teenagers"),
    ),
    Person(
        "sandy_in_seoul",
        "Sandra Mitchell",
        "elt",
        "Canadian EFL teacher in Seoul. Young learners by day, materials writer by night. "
        "#ELTChat #YoungLearners",
        ("ELTChat", "YoungLearners", "materialswriting"),
    ),
    Person(
        "diego_bizeng",
        "Diego Fernández",
        "elt",
        "Business English trainer in Buenos Aires. Task-based learning, podcasts, football "
        "at weekends. #BizEng #TBLT",
        ("BizEng", "TBLT", "ELTChat"),
    ),
    Person(
        "aylin_eap",
        "Aylin Demir",
        "elt",
        "EAP lecturer at a university prep school in Istanbul. Academic writing, feedback, "
        "fair assessment. #EAP #ELTChat",
        ("EAP", "assessment", "ELTChat"),
    ),
    Person(
        "kenji_reads",
        "Kenji Watanabe",
        "elt",
        "High school English teacher in Osaka. Extensive reading evangelist, graded readers "
        "everywhere. #ExtensiveReading",
        ("ExtensiveReading", "ELTChat", "JALT"),
    ),
    # Primary
    Person(
        "mr_okafor",
        "Chinedu Okafor",
        "primary",
        "Year 4 teacher in Leeds. Reading for pleasure, outdoor learning, terrible puns. "
        "#ukedchat #primaryrocks",
        ("ukedchat", "primaryrocks", "readingforpleasure"),
    ),
    Person(
        "lena_hamburg",
        "Lena Hoffmann",
        "primary",
        "Primary teacher in Hamburg. Bilingual classroom, maker projects, picture books. "
        "#edchat #makered",
        ("edchat", "makered", "picturebooks"),
    ),
    Person(
        "priya_ks1",
        "Priya Nair",
        "primary",
        "KS1 teacher and phonics lead in Birmingham. Early reading, oracy, purposeful play. "
        "#ukedchat #EarlyReading #oracy",
        ("EarlyReading", "oracy", "ukedchat"),
    ),
    Person(
        "tom_ngata",
        "Tom Ngata",
        "primary",
        "Primary teacher in Wellington, Aotearoa. Play-based learning, te reo Māori, bikes. "
        "#edchatNZ #playbasedlearning",
        ("edchatNZ", "playbasedlearning"),
    ),
    Person(
        "sofia_3rdgrade",
        "Sofía Ramírez",
        "primary",
        "3rd grade teacher in San Antonio. Bilingual ed, read-alouds, classroom community. "
        "#edchat #bilingualed",
        ("bilingualed", "edchat", "readalouds"),
    ),
    # Secondary science
    Person(
        "fiona_chem",
        "Fiona MacLeod",
        "science",
        "Chemistry teacher in Glasgow. Practical work, misconceptions, goggles on at all "
        "times. #scichat #chemed",
        ("scichat", "chemed"),
    ),
    Person(
        "ibrahim_physics",
        "Ibrahim Haddad",
        "science",
        "Physics teacher at an international school in Dubai. Demos, modelling, retrieval "
        "practice. #scichat #physicsed",
        ("physicsed", "scichat", "retrievalpractice"),
    ),
    Person(
        "bea_biology",
        "Beatriz Souza",
        "science",
        "Biology teacher in São Paulo. Field trips, citizen science, evolution. #scichat "
        "#citizenscience",
        ("scichat", "citizenscience", "biology"),
    ),
    Person(
        "sam_whitfield",
        "Sam Whitfield",
        "science",
        "Head of science at a Bristol comprehensive. Curriculum design, practical "
        "assessment, cycling. #scichat #ukedchat",
        ("scichat", "curriculum", "ukedchat"),
    ),
    Person(
        "anjali_stem",
        "Anjali Rao",
        "science",
        "STEM coordinator in Bengaluru. Tinkering labs, girls in science, robotics club on "
        "Fridays. #STEM #scichat",
        ("STEM", "makered", "scichat"),
    ),
    # Maths
    Person(
        "maths_with_mo",
        "Mohammed Siddiqui",
        "maths",
        "Maths teacher in Manchester. Variation theory, mini whiteboards, cricket. "
        "#mathchat #mathsteacher",
        ("mathchat", "mathsteacher"),
    ),
    Person(
        "claire_maths",
        "Claire Dubois",
        "maths",
        "Maths teacher at a collège in Lyon. Problem solving, manipulatives, a puzzle on the "
        "door every week. #mathchat #MTBoS",
        ("mathchat", "MTBoS", "problemsolving"),
    ),
    Person(
        "jess_numeracy",
        "Jess Thompson",
        "maths",
        "Numeracy coach in Melbourne. Number talks, low-floor high-ceiling tasks. #mathchat "
        "#aussieED",
        ("numbertalks", "mathchat", "aussieED"),
    ),
    Person(
        "peter_lindqvist",
        "Peter Lindqvist",
        "maths",
        "Upper-secondary maths teacher in Stockholm. Calculus, Desmos, thinking classrooms. "
        "#mathchat #ThinkingClassroom",
        ("mathchat", "ThinkingClassroom", "calculus"),
        hub=True,
    ),
    Person(
        "amara_mensah",
        "Amara Mensah",
        "maths",
        "Maths teacher and teacher educator in Accra. Mastery, language in maths, exams "
        "without tears. #mathchat #edchat",
        ("mathchat", "mastery", "edchat"),
    ),
    # School libraries
    Person(
        "kate_library",
        "Kate O'Sullivan",
        "library",
        "School librarian in Cork. Reading for pleasure, information literacy, book tokens "
        "as currency. #schoollibraries",
        ("schoollibraries", "readingforpleasure", "infolit"),
    ),
    Person(
        "hamid_tl",
        "Hamid Rahimi",
        "library",
        "Teacher-librarian in Toronto. Media literacy, graphic novels, inquiry projects. "
        "#tlchat #medialiteracy",
        ("tlchat", "medialiteracy", "graphicnovels"),
    ),
    Person(
        "grace_reads",
        "Grace Wanjiru",
        "library",
        "Librarian at a secondary school in Nairobi. Book clubs, local authors, quiet "
        "corners. #schoollibraries",
        ("schoollibraries", "readingforpleasure", "bookclub"),
    ),
    # School leaders
    Person(
        "head_jane",
        "Jane Holloway",
        "leadership",
        "Headteacher of a rural primary in Norfolk. Wellbeing, workload, kindness. Hosts "
        "#ukedchat some Thursdays.",
        ("ukedchat", "wellbeing", "edleadership"),
        hub=True,
    ),
    Person(
        "olu_adeyemi",
        "Olu Adeyemi",
        "leadership",
        "Secondary headteacher in south London. Inclusion, attendance, curriculum that means "
        "something. #ukedchat #edleadership",
        ("edleadership", "inclusion", "ukedchat"),
    ),
    Person(
        "maria_rossi",
        "Maria Rossi",
        "leadership",
        "Principal of a bilingual school in Milan. Coaching, teacher voice, less paperwork. "
        "#edleadership #edchat",
        ("edleadership", "coaching", "edchat"),
    ),
    Person(
        "dan_park_vp",
        "Daniel Park",
        "leadership",
        "Vice-principal in Vancouver. Assessment for learning, timetabling puzzles, dad "
        "jokes. #bcedchat #edleadership",
        ("bcedchat", "assessment", "edleadership"),
    ),
    # Edtech coaches
    Person(
        "nina_edtech",
        "Nina Kovács",
        "edtech",
        "Edtech coach in Budapest. Fewer apps, better pedagogy, accessibility first. "
        "Co-hosts #edchat on Tuesdays.",
        ("edchat", "edtech", "accessibility"),
        hub=True,
    ),
    Person(
        "luis_oer",
        "Luis Moreno",
        "edtech",
        "Digital learning coordinator in Madrid. Open educational resources, Linux in "
        "schools, privacy. #OER #edtech",
        ("OER", "edtech", "privacy"),
    ),
    Person(
        "meilin_tan",
        "Mei Lin Tan",
        "edtech",
        "Edtech coach in Singapore. AI literacy, assessment design, student data privacy. "
        "#AIinEd #edchat",
        ("AIinEd", "edtech", "edchat"),
    ),
    Person(
        "chris_evans_dig",
        "Chris Evans",
        "edtech",
        "Digital skills coach for schools in Wales. Screen-light ideas, podcasts made by "
        "kids. #edtech #ukedchat",
        ("edtech", "podcasting", "ukedchat"),
    ),
    # Teacher educators
    Person(
        "ingrid_solberg",
        "Ingrid Solberg",
        "training",
        "Teacher educator at a university in Oslo. Research-informed practice, mentoring new "
        "teachers. #lrnchat #ITE",
        ("lrnchat", "ITE", "mentoring"),
    ),
    Person(
        "yusuf_bello",
        "Yusuf Bello",
        "training",
        "Teacher trainer in Lagos. Large classes, low-resource teaching, mentoring. "
        "#lrnchat #ELTChat",
        ("lrnchat", "ELTChat", "largeclasses"),
    ),
    Person(
        "annelie_celta",
        "Annelie de Vries",
        "training",
        "CELTA and DELTA trainer in Utrecht. Observation feedback, reflective practice, "
        "stroopwafels. #ELTChat #lrnchat",
        ("CELTA", "ELTChat", "lrnchat"),
    ),
    Person(
        "mike_chen_mentor",
        "Michael Chen",
        "training",
        "Early-career teacher mentor in Sydney. Coaching conversations, behaviour, "
        "sustainable workload. #lrnchat #aussieED",
        ("lrnchat", "ECT", "aussieED"),
    ),
    # The instance's own account
    Person(
        ADMIN_USERNAME,
        "Staffroom Moderators",
        "staff",
        "The team keeping this staffroom friendly. Questions or reports? Mention us. Be "
        "kind, cite sources. #edchat",
        ("edchat",),
    ),
)

# Stand-alone posts, by author.
SINGLES: tuple[Post, ...] = (
    P(
        "rachel_byrne_elt",
        "Tonight's #ELTChat: what do we actually mean by 'natural' "
        "pronunciation? Bring examples, bring opinions. 20:00 GMT.",
    ),
    P(
        "rachel_byrne_elt",
        "New post: five minimal-pair games that don't feel like drills "
        "https://example.org/blog/minimal-pair-games #ELTChat #pronunciation",
    ),
    P(
        "rachel_byrne_elt",
        "CELTA trainees always ask how much to plan. Honest answer: enough "
        "to be able to drop the plan. #ELTChat",
    ),
    P(
        "rachel_byrne_elt",
        "Summary of last week's #ELTChat on feedback is up. Thanks to "
        "everyone who joined! https://example.org/eltchat/summaries/feedback",
    ),
    P(
        "rachel_byrne_elt",
        "Reminder that 'accent reduction' is a phrase we can retire. "
        "Intelligibility is the goal. #pronunciation #ELTChat",
    ),
    P(
        "marta_elt",
        "Teen class tried a dogme lesson built entirely from their weekend photos. "
        "Loudest, happiest 90 minutes this term. #ELTChat #dogme",
    ),
    P(
        "marta_elt",
        "Question for DoSes: how do you run peer observation without it feeling "
        "like an inspection? #ELTChat",
    ),
    P(
        "marta_elt",
        "Coffee number three and it's not even 10am. Placement test week at our school. #ELTChat",
    ),
    P(
        "marta_elt",
        "Sharing my emergent language board template, feel free to adapt "
        "https://example.org/marta/emergent-language-board #dogme",
    ),
    P(
        "sandy_in_seoul",
        "YL lesson win: 'the floor is lava', but every safe spot is a "
        "vocabulary word. Chaos, but useful chaos. #ELTChat #YoungLearners",
    ),
    P(
        "sandy_in_seoul",
        "Materials writers: how do you decide when a task is finished, and "
        "not just finished enough? #materialswriting",
    ),
    P(
        "sandy_in_seoul",
        "Rainy season in Seoul means indoor break, which means my classroom "
        "becomes a pillow fort. Send help. #ELTChat",
    ),
    P(
        "sandy_in_seoul",
        "Free flashcard set for weather vocabulary, CC BY "
        "https://example.org/sandy/weather-flashcards #YoungLearners #OER",
    ),
    P(
        "diego_bizeng",
        "BizEng idea: learners record a 60-second voice memo explaining their job "
        "to a 10-year-old. Clarity improves fast. #BizEng",
    ),
    P(
        "diego_bizeng",
        "TBLT question: do you pre-teach vocabulary before the main task, or "
        "only after? Arguments on both sides welcome. #TBLT #ELTChat",
    ),
    P(
        "diego_bizeng",
        "Episode 12 of our teacher podcast: negotiating in English without "
        "sounding rude https://example.net/podcast/12 #BizEng",
    ),
    P(
        "diego_bizeng",
        "Lost a whole lesson to a football conversation today. Best speaking "
        "practice of the week. No regrets. #ELTChat",
    ),
    P(
        "aylin_eap",
        "Marking 60 argumentative essays this weekend. Trying audio feedback for "
        "the first time. Will report back. #EAP #assessment",
    ),
    P(
        "aylin_eap",
        "EAP colleagues: what's your go-to activity for teaching hedging? Mine is "
        "'make this claim less dangerous'. #EAP #ELTChat",
    ),
    P(
        "aylin_eap",
        "Audio feedback update: faster for me, and students say they actually "
        "listened to it. Twice, some of them. #EAP #assessment",
    ),
    P(
        "aylin_eap",
        "Useful read on plagiarism vs patchwriting in second-language writers "
        "https://example.org/journal/patchwriting #EAP",
    ),
    P(
        "aylin_eap",
        "Between us: my department pilots a new grading scale next term and "
        "nobody has explained why. Been through this?",
        visibility="private",
    ),
    P(
        "kenji_reads",
        "Our school library now has 400 graded readers. Six years ago it had 12. "
        "Small steps. #ExtensiveReading #ELTChat",
    ),
    P(
        "kenji_reads",
        "My students read 1.2 million words this term. Reading logs are boring, "
        "but the number makes them proud. #ExtensiveReading",
    ),
    P(
        "kenji_reads",
        "Anyone pair audio with extensive reading at lower levels? Reading while "
        "listening seems to help my weaker readers. #ELTChat",
    ),
    P(
        "kenji_reads",
        "Slides from my JALT talk on starting an ER programme with no budget "
        "https://example.org/kenji/er-no-budget #ExtensiveReading",
    ),
    P(
        "mr_okafor",
        "Y4 wrote poems about puddles. One line: 'a puddle is the sky lying down'. "
        "I'm not crying, you are. #primaryrocks",
    ),
    P(
        "mr_okafor",
        "Outdoor maths: measuring the playground in giant steps vs metres. Cue a "
        "heated debate about whose feet count. #ukedchat",
    ),
    P(
        "mr_okafor",
        "What's on your read-aloud list for spring? We just finished The Wild Robot "
        "and they are bereft. #ukedchat #readingforpleasure",
    ),
    P(
        "mr_okafor",
        "Pun on the board: 'I'm reading a book about anti-gravity. I can't put it "
        "down.' The groans were loud. #primaryrocks",
    ),
    P(
        "lena_hamburg",
        "Made cardboard marble runs with class 3 today. Mostly physics, partly "
        "engineering, entirely glue. #makered #edchat",
    ),
    P(
        "lena_hamburg",
        "Bilingual picture book tips for 7-year-olds (German/English)? Our "
        "shelf needs new life. #picturebooks #edchat",
    ),
    P(
        "lena_hamburg",
        "Small win: a child who barely spoke English in September explained our "
        "marble run to visitors today. #edchat",
    ),
    P(
        "lena_hamburg",
        "Our maker corner checklist, now translated into English "
        "https://example.org/lena/maker-corner #makered",
    ),
    P(
        "priya_ks1",
        "Phonics tip: let children sound-talk to a puppet who gets it wrong. They "
        "love correcting him. #EarlyReading #ukedchat",
    ),
    P(
        "priya_ks1",
        "Oracy in KS1 isn't just talking more, it's talking better. Today: "
        "sentence stems for agreeing and disagreeing. #oracy",
    ),
    P(
        "priya_ks1",
        "How do you support a child who decodes well but doesn't seem to "
        "understand what they read? #EarlyReading",
    ),
    P(
        "priya_ks1",
        "Reception to Y1 transition ideas for summer term? Looking for things that "
        "keep play at the centre. #ukedchat",
    ),
    P(
        "tom_ngata",
        "Kia ora koutou! Rainy Wellington morning, so we built a rain gauge from a "
        "bucket and a ruler. #edchatNZ",
    ),
    P(
        "tom_ngata",
        "20 minutes of block play and three kids started counting in twos, "
        "unprompted. #playbasedlearning #edchatNZ",
    ),
    P(
        "tom_ngata",
        "Biked to school into a southerly. Ten out of ten, would not recommend. #edchatNZ",
    ),
    P(
        "tom_ngata",
        "Te reo word of the week: 'whakarongo', listen. They now say it to me "
        "when I talk too much. #edchatNZ",
    ),
    P(
        "sofia_3rdgrade",
        "Read-aloud today: Last Stop on Market Street. The talk afterwards "
        "beat anything I'd planned. #edchat #readalouds",
    ),
    P(
        "sofia_3rdgrade",
        "Bilingual ed folks: how do you handle translanguaging in writing "
        "time? I'm allowing it in drafts. #bilingualed",
    ),
    P(
        "sofia_3rdgrade",
        "Community circle question: 'what are you getting better at?' Answers "
        "ranged from fractions to backflips. #edchat",
    ),
    P("sofia_3rdgrade", "Spring break countdown: 4 days. Classroom energy: roughly 400%. #edchat"),
    P(
        "fiona_chem",
        "Demo of the day: elephant's toothpaste. Still gets gasps from "
        "17-year-olds. Chemistry is wonderful. #scichat #chemed",
    ),
    P(
        "fiona_chem",
        "Misconception I hear every year: 'breaking bonds releases energy'. How "
        "do you tackle it? #chemed #scichat",
    ),
    P(
        "fiona_chem",
        "Goggles on. No, on your eyes. Not your forehead. Every single lesson. #scichat",
    ),
    P(
        "fiona_chem",
        "My retrieval quiz bank for GCSE rates of reaction, free to use "
        "https://example.org/fiona/rates-retrieval #chemed",
    ),
    P(
        "ibrahim_physics",
        "Best demo of Newton's third law that doesn't need a skateboard? Our "
        "insurers said no. #physicsed #scichat",
    ),
    P(
        "ibrahim_physics",
        "Tried modelling instruction with Grade 10 circuits. Slower start, "
        "much deeper understanding by week 3. #physicsed",
    ),
    P(
        "ibrahim_physics",
        "Retrieval starter: one question from last lesson, one from last "
        "week, one from last term. Simple, and it works. #scichat",
    ),
    P(
        "ibrahim_physics",
        "Lovely simulation for wave interference, works offline too "
        "https://example.org/sims/wave-interference #physicsed",
    ),
    P(
        "bea_biology",
        "Field trip to the city park: 14 bird species in an hour. The students "
        "who 'hate nature' counted the most. #scichat",
    ),
    P(
        "bea_biology",
        "Citizen science idea: students log leaf-litter insects for a university "
        "study. Real data, real purpose. #citizenscience",
    ),
    P(
        "bea_biology",
        "How do you teach evolution to students who arrive with strong "
        "objections? Respect and lots of evidence is my start. #scichat",
    ),
    P(
        "bea_biology",
        "Our bird survey results, made by my Year 11s "
        "https://example.org/bea/bird-survey #citizenscience #scichat",
    ),
    P(
        "sam_whitfield",
        "Department meeting idea: 20 minutes practising a practical together "
        "instead of admin. Best CPD we've had. #scichat",
    ),
    P(
        "sam_whitfield",
        "Curriculum question: do you teach the particle model before or after "
        "states of matter in Y7? #scichat",
    ),
    P(
        "sam_whitfield",
        "Our required practicals write-up guide for students, feedback welcome "
        "https://example.org/sam/required-practicals #scichat",
    ),
    P(
        "sam_whitfield",
        "Cycled in through the rain, arrived to find the fume cupboard broken. "
        "Classic Monday. #ukedchat",
    ),
    P(
        "sam_whitfield",
        "Thanks @fiona_chem for the rates of reaction quiz bank, my Year 10s "
        "used it today. #scichat",
    ),
    P(
        "anjali_stem",
        "Robotics club built line-following robots from recycled parts. Two "
        "followed lines. One followed a cat. #STEM",
    ),
    P(
        "anjali_stem",
        "Girls in science week: alumni scientists video-called our Grade 8s. "
        "Every question was brilliant. #scichat #STEM",
    ),
    P(
        "anjali_stem",
        "Tinkering lab rule 1: you may take anything apart. Rule 2: you have to "
        "try putting it back. #makered #STEM",
    ),
    P(
        "anjali_stem",
        "Low-cost tinkering lab kit list, all under 50 dollars "
        "https://example.org/anjali/tinkering-kit #STEM #makered",
    ),
    P(
        "maths_with_mo",
        "Mini whiteboards are the most powerful edtech in my room. Cost: 40p "
        "each. #mathchat #mathsteacher",
    ),
    P(
        "maths_with_mo",
        "Variation theory in practice: change one thing at a time in a run of "
        "questions. Y8 spotted the pattern alone. #mathchat",
    ),
    P(
        "maths_with_mo",
        "Cricket stats lesson: strike rates and averages from real scorecards. "
        "Even the football fans joined in. #mathchat",
    ),
    P(
        "maths_with_mo",
        "My intelligent practice sheets for fractions "
        "https://example.org/mo/intelligent-practice #mathchat",
    ),
    P(
        "claire_maths",
        "Puzzle on my door this week: how many squares on a chessboard? Not 64. "
        "Students argue in the corridor. #mathchat #MTBoS",
    ),
    P(
        "claire_maths",
        "Algebra tiles changed how my 13-year-olds see factorising. "
        "Manipulatives aren't just for little ones. #mathchat",
    ),
    P(
        "claire_maths",
        "Problem-solving lessons: how long do you let students struggle before "
        "you step in? #mathchat",
    ),
    P(
        "claire_maths",
        "Chessboard answer: 204 squares. Some of them still don't believe me. #MTBoS",
    ),
    P(
        "jess_numeracy",
        "Number talk today: 99 + 47. Seven strategies from one class of "
        "8-year-olds. Beautiful. #numbertalks #aussieED",
    ),
    P(
        "jess_numeracy",
        "Low floor, high ceiling task that worked: make 24 from 3, 3, 8, 8. "
        "Easy start, very hard finish. #mathchat",
    ),
    P(
        "jess_numeracy",
        "How do you record number talk strategies so children can see them the "
        "next day? Trying anchor charts. #numbertalks",
    ),
    P(
        "jess_numeracy",
        "Planning doc for a term of number talks, share freely "
        "https://example.org/jess/number-talks #aussieED #mathchat",
    ),
    P(
        "jess_numeracy",
        "If you're not following @peter_lindqvist for thinking classroom "
        "ideas, you're missing out. #mathchat",
    ),
    P(
        "peter_lindqvist",
        "Thinking classroom, week 6: vertical whiteboards, random groups. "
        "They start before I finish talking. #ThinkingClassroom",
    ),
    P(
        "peter_lindqvist",
        "Desmos activity introducing derivatives as slopes, free "
        "https://example.org/peter/derivative-slopes #mathchat",
    ),
    P(
        "peter_lindqvist",
        "Calculus students asked why limits matter. We spent the lesson on "
        "Zeno. Best off-plan lesson of the year. #mathchat",
    ),
    P(
        "peter_lindqvist",
        "Hosting #mathchat on Thursday: what makes a good task? Bring your "
        "favourite task, good or bad.",
    ),
    P(
        "peter_lindqvist",
        "Good task criteria from #mathchat: a clear start, no obvious end, "
        "and something to argue about. Thanks all!",
    ),
    P(
        "amara_mensah",
        "Language in maths: 'difference' means something else at home. We "
        "built a class glossary together. #mathchat",
    ),
    P(
        "amara_mensah",
        "Mastery doesn't mean slow. It means nobody gets left behind on the way. #mathchat #edchat",
    ),
    P(
        "amara_mensah",
        "Exam prep idea: students write the mark scheme before doing the "
        "question. They find the traps themselves. #mathchat",
    ),
    P(
        "amara_mensah",
        "Slides from my workshop for new maths teachers in Accra "
        "https://example.org/amara/new-teachers #mathchat #edchat",
    ),
    P(
        "kate_library",
        "Library lunch club started with four kids. Now 23. The secret: "
        "biscuits and no rules about what they read. #schoollibraries",
    ),
    P(
        "kate_library",
        "Information literacy lesson: is this website reliable? The students "
        "went full detective. #schoollibraries #edchat",
    ),
    P(
        "kate_library",
        "Book tokens as class currency: the economy is thriving, the inflation "
        "is concerning. #readingforpleasure",
    ),
    P(
        "kate_library",
        "Our 'books that made me cry' display is the most borrowed shelf in the "
        "library. #schoollibraries",
    ),
    P(
        "kate_library",
        "Swapping reading lists with @grace_reads across two continents. Cork "
        "meets Nairobi! #schoollibraries",
    ),
    P(
        "hamid_tl",
        "Media literacy: students compared three headlines about the same story. "
        "'Lively' doesn't begin to cover it. #tlchat",
    ),
    P(
        "hamid_tl",
        "Graphic novels are real reading. I will die on this hill, surrounded by "
        "very happy readers. #tlchat #graphicnovels",
    ),
    P(
        "hamid_tl",
        "Inquiry project template for Grade 7 research, adapt away "
        "https://example.org/hamid/inquiry-template #tlchat",
    ),
    P(
        "hamid_tl",
        "Teacher-librarians: how do you weed the collection without a storm of "
        "parent complaints? #tlchat",
    ),
    P(
        "grace_reads",
        "Book club read a Ngũgĩ short story this week and argued about the "
        "ending for an hour. Wonderful. #readingforpleasure",
    ),
    P(
        "grace_reads",
        "Building a quiet reading corner with cushions donated by parents. "
        "Already full every lunchtime. #schoollibraries",
    ),
    P(
        "grace_reads",
        "Kenyan authors for teenagers: our list, contributions welcome "
        "https://example.org/grace/kenyan-authors #readingforpleasure",
    ),
    P(
        "grace_reads",
        "How do you get reluctant readers past chapter one? Asking for about 30 "
        "Form 2 students. #schoollibraries",
    ),
    P(
        "head_jane",
        "Tonight's #ukedchat at 8pm: workload. What's one thing you stopped doing "
        "that made no difference to learning?",
    ),
    P(
        "head_jane",
        "#ukedchat summary: marking policies, email curfews and meetings with "
        "agendas. Thank you all! https://example.org/ukedchat/workload",
    ),
    P(
        "head_jane",
        "Walked the school at 7am. The cleaners had left Year 2 a note: 'good job "
        "on the tidy classroom'. Kindness is catching.",
    ),
    P(
        "head_jane",
        "Heads: how do you protect staff wellbeing in inspection season without "
        "pretending the pressure isn't there? #edleadership",
    ),
    P(
        "head_jane",
        "Governors meeting finished 20 minutes early. I am framing the agenda. #ukedchat",
    ),
    P(
        "head_jane",
        "Reading list from today's governor training, for anyone interested "
        "https://example.org/jane/governor-reading",
        visibility="unlisted",
    ),
    P(
        "olu_adeyemi",
        "Attendance is everyone's business: form tutors called every absent "
        "child's family this week. Striking results. #ukedchat",
    ),
    P(
        "olu_adeyemi",
        "Inclusion isn't a department. It's how every lesson is planned. #edleadership #ukedchat",
    ),
    P(
        "olu_adeyemi",
        "Curriculum review question: what should students still remember at 30? "
        "Hard question, good conversation. #edleadership",
    ),
    P(
        "olu_adeyemi",
        "Our inclusive behaviour policy, written with students "
        "https://example.org/olu/behaviour-policy #ukedchat",
    ),
    P(
        "maria_rossi",
        "Coaching conversations with staff this week. I talked less, listened "
        "more, and they found their own answers. #edleadership",
    ),
    P(
        "maria_rossi",
        "We swapped one staff meeting a month for teacher-led workshops. "
        "Voluntary, and always full. #edchat #edleadership",
    ),
    P(
        "maria_rossi",
        "Less paperwork: we cut our lesson plan template from three pages to "
        "one. Nobody misses the other two. #edleadership",
    ),
    P(
        "maria_rossi",
        "Principals: how often do you still teach? I kept one class and it keeps "
        "me honest. #edleadership #edchat",
    ),
    P(
        "dan_park_vp",
        "If feedback doesn't change what students do next, it's just a comment. "
        "#bcedchat #assessment",
    ),
    P("dan_park_vp", "Timetabling is a giant puzzle where every piece has feelings. #edleadership"),
    P(
        "dan_park_vp",
        "Staff briefing joke: why did the student eat his homework? The teacher "
        "said it was a piece of cake. #bcedchat",
    ),
    P(
        "dan_park_vp",
        "Our single-point rubric template, works for any subject "
        "https://example.org/dan/single-point-rubric #bcedchat",
    ),
    P(
        "nina_edtech",
        "#edchat on Tuesday, 19:00 CET: accessibility in everyday teaching. "
        "Captions, contrast, alt text. Join us!",
    ),
    P(
        "nina_edtech",
        "Fewer apps, better pedagogy. If a tool needs 40 minutes of training, "
        "it probably isn't saving anyone time. #edtech",
    ),
    P(
        "nina_edtech",
        "Alt text tip: describe what the image is for, not only what it shows. "
        "#accessibility #edchat",
    ),
    P(
        "nina_edtech",
        "The #edchat summary on accessibility is up, full of practical ideas "
        "https://example.org/edchat/accessibility",
    ),
    P(
        "nina_edtech",
        "Coaches: how do you say no to a shiny new tool without sounding like a dinosaur? #edtech",
    ),
    P(
        "luis_oer",
        "We moved 200 school laptops to Linux this summer. Teachers noticed one "
        "thing: they start up faster. #edtech #OER",
    ),
    P(
        "luis_oer",
        "OER reminder: 'free to view' is not the same as 'free to adapt'. Check the licence. #OER",
    ),
    P(
        "luis_oer",
        "Student data privacy checklist for choosing apps, Spanish and English "
        "https://example.org/luis/privacy-checklist #edtech",
    ),
    P(
        "luis_oer",
        "Which open textbooks do you actually use? Looking for secondary science "
        "and maths in Spanish. #OER",
    ),
    P(
        "luis_oer",
        "Notes from the regional OER meeting, rough and unedited "
        "https://example.org/luis/oer-meeting-notes",
        visibility="unlisted",
    ),
    P(
        "meilin_tan",
        "AI literacy lesson: students tried to make a chatbot confidently wrong. "
        "It didn't take long. Great discussion. #AIinEd",
    ),
    P(
        "meilin_tan",
        "Assessment in the age of AI: more process, more conversation, fewer "
        "take-home essays. #AIinEd #edchat",
    ),
    P(
        "meilin_tan",
        "Our guidance for teachers on AI tools and student data "
        "https://example.org/meilin/ai-guidance #AIinEd",
    ),
    P(
        "meilin_tan",
        "What's one assignment you redesigned this year because of AI? Curious "
        "what worked. #AIinEd",
    ),
    P(
        "chris_evans_dig",
        "Podcast club: Year 5 interviewed the school cook. Twelve minutes of "
        "pure gold about custard. #edtech #ukedchat",
    ),
    P(
        "chris_evans_dig",
        "Screen-light idea: plan a digital story on paper first. Better "
        "stories, less time fiddling with fonts. #edtech",
    ),
    P(
        "chris_evans_dig",
        "Our pupils' podcast episode about Welsh castles "
        "https://example.org/chris/castles-podcast #ukedchat",
    ),
    P(
        "chris_evans_dig",
        "Digital skills question: who teaches file management these days? "
        "Genuinely asking. #edtech #ukedchat",
    ),
    P(
        "ingrid_solberg",
        "Research-informed doesn't mean research-dictated. Context still matters. #lrnchat #ITE",
    ),
    P(
        "ingrid_solberg",
        "Mentoring new teachers: the best question I know is 'what did you notice?' #lrnchat",
    ),
    P(
        "ingrid_solberg",
        "New paper from our group on mentoring conversations in placements "
        "https://example.org/ingrid/mentoring-paper #ITE",
    ),
    P(
        "ingrid_solberg",
        "Tonight's #lrnchat: learning from mistakes. What teaching mistake taught you something?",
    ),
    P(
        "yusuf_bello",
        "Classes of 70+: pair work still works. It just needs clear signals and "
        "short tasks. #lrnchat #ELTChat",
    ),
    P(
        "yusuf_bello",
        "Low-resource idea: one printed text, cut into strips, becomes a "
        "whole-class reading jigsaw. #ELTChat",
    ),
    P(
        "yusuf_bello",
        "Mentoring workshop today with 40 new teachers in Lagos. Their energy "
        "is something else. #lrnchat #edchat",
    ),
    P(
        "yusuf_bello",
        "Our handbook for teaching large classes, free to share "
        "https://example.org/yusuf/large-classes #ELTChat",
    ),
    P(
        "annelie_celta",
        "CELTA feedback goes better when trainees speak first. Ask, don't tell. #ELTChat #lrnchat",
    ),
    P(
        "annelie_celta",
        "DELTA candidates: the background essay is about understanding, not word count. #ELTChat",
    ),
    P(
        "annelie_celta",
        "Reflective practice prompt: what would your students say your lesson was about? #lrnchat",
    ),
    P(
        "annelie_celta",
        "Stroopwafel-powered observation day. Six lessons, six very different "
        "teachers, all learning. #CELTA",
    ),
    P(
        "annelie_celta",
        "Shout-out to @yusuf_bello, whose large-classes handbook is now on our "
        "CELTA reading list. #ELTChat",
    ),
    P(
        "mike_chen_mentor",
        "Early-career teachers: you are allowed to go home at 4:30. The "
        "marking will still be there. #aussieED #lrnchat",
    ),
    P(
        "mike_chen_mentor",
        "Behaviour tip for ECTs: say what you want to see. 'Pens down' "
        "beats 'stop fiddling'. #lrnchat",
    ),
    P(
        "mike_chen_mentor",
        "The coaching conversation framework I use with mentees "
        "https://example.org/mike/coaching-framework #lrnchat #ECT",
    ),
    P(
        "mike_chen_mentor",
        "Mentors: how do you give honest feedback to a new teacher who is "
        "clearly exhausted? #lrnchat #aussieED",
    ),
    P(
        "mike_chen_mentor",
        "Rough week. Two of my mentees are thinking of leaving teaching. "
        "Not sure I'm helping enough.",
        visibility="private",
    ),
    P(
        ADMIN_USERNAME,
        "Welcome to Staffroom! Introduce yourself with #introductions: what "
        "you teach, where, and what you'd like to learn.",
    ),
    P(
        ADMIN_USERNAME,
        "Reminder: be kind, credit sources, and keep student details out of "
        "posts. Thanks for making this a good place. #edchat",
    ),
)

# Conversations: the first post of each, with its replies nested below it.
THREADS: tuple[Post, ...] = (
    P(
        "marta_elt",
        "Teens and phones in class: ban, ignore, or use? Our staffroom is split "
        "down the middle. #ELTChat",
        P(
            "rachel_byrne_elt",
            "@marta_elt Use, with clear moments for it. 'Phones up' for a "
            "task, 'phones face down' after. Worked for my teens.",
            P(
                "marta_elt",
                "@rachel_byrne_elt Love 'phones face down'. How long before they respected it?",
                P(
                    "rachel_byrne_elt",
                    "@marta_elt About two weeks of reminders. Being consistent "
                    "mattered more than the rule itself.",
                ),
            ),
        ),
        P(
            "kenji_reads",
            "@marta_elt Our school bans them, so I stopped fighting and use paper. "
            "Honestly the lessons feel calmer. #ELTChat",
        ),
        P(
            "meilin_tan",
            "@marta_elt Use, but teach why. A 10-minute talk on attention changed "
            "my Year 9s' habits more than any ban.",
        ),
    ),
    P(
        "peter_lindqvist",
        "#mathchat question: what's the best task for introducing negative "
        "numbers? Looking for something beyond the thermometer.",
        P(
            "claire_maths",
            "@peter_lindqvist A lift in a building with basement floors. "
            "Students plan journeys and 'down 3 from 1' clicks.",
            P(
                "peter_lindqvist",
                "@claire_maths Lift journeys lead straight into subtraction as "
                "distance, too. Stealing it.",
            ),
        ),
        P(
            "jess_numeracy",
            "@peter_lindqvist Two-colour counters, positive and negative, "
            "cancelling in pairs. The zero pair idea is gold. #mathchat",
            P(
                "maths_with_mo",
                "@jess_numeracy @peter_lindqvist Zero pairs are my go-to too, "
                "especially for subtracting negatives.",
                P(
                    "jess_numeracy",
                    "@maths_with_mo Yes! Adding a zero pair in order to subtract "
                    "is the moment it clicks for most kids.",
                ),
            ),
        ),
        P(
            "amara_mensah",
            "@peter_lindqvist Money and debt works well, once students trust "
            "that owing is 'below zero'. #mathchat",
        ),
    ),
    P(
        "head_jane",
        "What's the kindest thing a colleague did for you this term? Mine left "
        "soup on my desk on a very long day. #ukedchat",
        P(
            "mr_okafor",
            "@head_jane Our TA took my duty when my son was poorly, without me "
            "asking. Still grateful.",
        ),
        P(
            "priya_ks1",
            "@head_jane Someone finished my display board while I was off sick. It "
            "looked better than mine ever do.",
            P("head_jane", "@priya_ks1 Secret display fairies are the best kind of colleague."),
        ),
        P(
            "olu_adeyemi",
            "@head_jane A new teacher brought cake for the office staff 'just "
            "because'. Kindness spreads. #ukedchat",
        ),
    ),
    P(
        "aylin_eap",
        "EAP teachers: do you let students use translation tools for drafts? Why "
        "or why not? #EAP #ELTChat",
        P(
            "diego_bizeng",
            "@aylin_eap In drafts, yes, if they can explain every sentence they "
            "keep. The explaining is the learning.",
            P(
                "aylin_eap",
                "@diego_bizeng 'Explain every sentence' is a great rule. Do you "
                "check it in tutorials?",
                P(
                    "diego_bizeng",
                    "@aylin_eap Five-minute tutorials, one random paragraph each. "
                    "They prepare much better once they know.",
                ),
            ),
        ),
        P(
            "annelie_celta",
            "@aylin_eap Yes, and we compare the tool's version with theirs. "
            "Noticing the gap is powerful. #ELTChat",
        ),
    ),
    P(
        "fiona_chem",
        "How many practicals do your Year 9s do per half term? Trying to benchmark. #scichat",
        P(
            "sam_whitfield",
            "@fiona_chem About four, plus lots of demos. We cut some to make "
            "time for talking about what happened.",
            P(
                "fiona_chem",
                "@sam_whitfield Talking about what happened is the bit we always "
                "rush. Maybe fewer, deeper is right.",
            ),
        ),
        P(
            "ibrahim_physics",
            "@fiona_chem Similar, 3 or 4. Predict-observe-explain sheets "
            "doubled their value for us. #scichat",
        ),
        P(
            "bea_biology",
            "@fiona_chem Fewer than I'd like. Biology practicals need living "
            "things, and the timetable hates living things.",
        ),
    ),
    P(
        "nina_edtech",
        "Honest #edchat question: which tool did you drop this year, and did anyone miss it?",
        P(
            "luis_oer",
            "@nina_edtech A quiz app that showed students ads. Nobody missed it; the "
            "paper version works fine.",
        ),
        P(
            "chris_evans_dig",
            "@nina_edtech Our whiteboard software. Now the board is just a "
            "screen, and teachers are happier.",
            P(
                "nina_edtech",
                "@chris_evans_dig Happier teachers is the measure I care about most. #edchat",
            ),
        ),
        P(
            "meilin_tan",
            "@nina_edtech A plagiarism checker. It flagged quotations and missed "
            "the real problems. #AIinEd",
        ),
    ),
    P(
        "kenji_reads",
        "Graded readers: do you let students abandon a book they don't like? #ExtensiveReading",
        P(
            "grace_reads",
            "@kenji_reads Always. Nobody enjoys a book they were forced to "
            "finish. Abandoning is part of choosing well.",
            P(
                "kenji_reads",
                "@grace_reads Agreed. My worry is the students who abandon "
                "everything after five pages.",
                P(
                    "kate_library",
                    "@kenji_reads @grace_reads I read the first page of three books "
                    "aloud and let them pick. Usually works.",
                ),
            ),
        ),
        P(
            "sandy_in_seoul",
            "@kenji_reads Yes, but they write one line about why. It helps "
            "them choose better next time. #ExtensiveReading",
        ),
    ),
    P(
        "priya_ks1",
        "Phonics leads: how long on decodable texts before children move on to "
        "richer books? #EarlyReading",
        P(
            "mr_okafor",
            "@priya_ks1 Both from the start for me: decodables to read, rich books "
            "read to them. Different jobs.",
            P(
                "priya_ks1",
                "@mr_okafor 'Different jobs' is a helpful way to put it to parents too. Thank you!",
            ),
        ),
        P(
            "sofia_3rdgrade",
            "@priya_ks1 Same in our bilingual classes: decodables in both "
            "languages, and stories for joy. #EarlyReading",
        ),
    ),
    P(
        "mike_chen_mentor",
        "ECT mentors: what's one thing you wish you'd been told in your first year? #lrnchat",
        P(
            "ingrid_solberg",
            "@mike_chen_mentor That a lesson going badly is information, not a "
            "verdict on you. #lrnchat",
            P(
                "mike_chen_mentor",
                "@ingrid_solberg 'Information, not a verdict' is going on a "
                "sticky note for my mentees.",
            ),
        ),
        P(
            "yusuf_bello",
            "@mike_chen_mentor Learn every name in the first week. It solves half "
            "your problems before they start.",
        ),
        P(
            "dan_park_vp",
            "@mike_chen_mentor Nobody has it all figured out. The calm-looking "
            "ones are just better at hiding it. #lrnchat",
        ),
    ),
    P(
        "bea_biology",
        "Anyone running citizen science projects with younger students? Need "
        "ideas for 11-12 year olds. #citizenscience",
        P(
            "anjali_stem",
            "@bea_biology Our Grade 6 counted pollinators on school flowers for "
            "a national survey. Easy to run, very motivating.",
            P(
                "bea_biology",
                "@anjali_stem Pollinators! Our garden is full of them. Which survey did you use?",
                P(
                    "anjali_stem",
                    "@bea_biology One run by a university. Their teacher pack: "
                    "https://example.org/pollinator-count #citizenscience",
                ),
            ),
        ),
        P(
            "lena_hamburg",
            "@bea_biology We kept a cloud-watching log with class 3. Simple, but "
            "they started asking great questions. #scichat",
        ),
    ),
    P(
        "sofia_3rdgrade",
        "Multilingual classes: how do you celebrate home languages without "
        "putting kids on the spot? #bilingualed",
        P(
            "lena_hamburg",
            "@sofia_3rdgrade A 'hello wall' where families write greetings. "
            "Kids choose whether to share more.",
        ),
        P(
            "tom_ngata",
            "@sofia_3rdgrade Families come in and read a story in their language. "
            "The kids are so proud. #edchatNZ",
            P(
                "sofia_3rdgrade",
                "@tom_ngata Family read-alouds, lovely. Do you record them for the class library?",
                P(
                    "tom_ngata",
                    "@sofia_3rdgrade We do, with permission. They're the most replayed "
                    "thing on our class tablet.",
                ),
            ),
        ),
    ),
    P(
        "claire_maths",
        "Hot take: maths homework should be mostly retrieval, not new "
        "practice. Agree or disagree? #mathchat",
        P(
            "maths_with_mo",
            "@claire_maths Agree. New practice at home just lets misconceptions "
            "set. Retrieval is safer.",
        ),
        P(
            "amara_mensah",
            "@claire_maths Mostly, but some students need practice and have "
            "nowhere else to get it. #mathchat",
            P(
                "claire_maths",
                "@amara_mensah Fair point. A homework club for practice, and "
                "retrieval for everyone?",
                P(
                    "amara_mensah",
                    "@claire_maths That's what we do. The club is busier than I expected.",
                ),
            ),
        ),
    ),
    P(
        "olu_adeyemi",
        "Leaders: how do you make time for subject knowledge CPD when every "
        "hour is spoken for? #edleadership",
        P(
            "maria_rossi",
            "@olu_adeyemi Departments get one meeting a month with no agenda from "
            "leadership. They fill it well.",
        ),
        P(
            "sam_whitfield",
            "@olu_adeyemi Short and often: 15 minutes at the start of every "
            "department meeting, one topic each time.",
            P(
                "olu_adeyemi",
                "@sam_whitfield Little and often seems to be the answer everywhere. Thanks, Sam.",
            ),
        ),
    ),
    P(
        "hamid_tl",
        "How do you teach lateral reading to 12-year-olds? #medialiteracy #tlchat",
        P(
            "kate_library",
            "@hamid_tl We race: who can find out who's behind a website fastest, "
            "without reading the site itself?",
            P(
                "hamid_tl",
                "@kate_library A race is perfect. Competitive Grade 7s will do anything to win.",
            ),
        ),
        P(
            "meilin_tan",
            "@hamid_tl Give them an AI-written article with a fake source. "
            "Tracking it down is eye-opening. #medialiteracy",
        ),
    ),
    P(
        "rachel_byrne_elt",
        "Do you teach the schwa explicitly to beginners? #ELTChat #pronunciation",
        P(
            "annelie_celta",
            "@rachel_byrne_elt From day one, through rhythm rather than the "
            "symbol. Clapping sentences works.",
            P(
                "rachel_byrne_elt",
                "@annelie_celta Clapping sentences is underrated. Students "
                "remember rhythm better than rules.",
            ),
        ),
        P(
            "yusuf_bello",
            "@rachel_byrne_elt We start with listening only. Students notice it "
            "before they name it. #ELTChat",
        ),
        P(
            "sandy_in_seoul",
            "@rachel_byrne_elt With YLs I call it 'the lazy sound'. They love "
            "being allowed to be lazy. #pronunciation",
        ),
    ),
    P(
        "jess_numeracy",
        "Times tables: chanting, strategies, or both? #mathchat #aussieED",
        P(
            "mr_okafor",
            "@jess_numeracy Both. Chanting for fluency, arrays for understanding. "
            "Arrays first, though.",
        ),
        P(
            "peter_lindqvist",
            "@jess_numeracy From secondary: students who understood the "
            "patterns cope far better with algebra. #mathchat",
            P(
                "jess_numeracy",
                "@peter_lindqvist That's a helpful thing to tell parents who only "
                "want the chanting.",
            ),
        ),
    ),
    P(
        "chris_evans_dig",
        "Podcasting with 9-year-olds: best free recording tool for old school laptops? #edtech",
        P(
            "luis_oer",
            "@chris_evans_dig Audacity. Open source, runs on anything, and easy "
            "enough for kids. #OER",
            P(
                "chris_evans_dig",
                "@luis_oer Audacity it is. Our laptops are older than the pupils, so that matters.",
                P(
                    "luis_oer",
                    "@chris_evans_dig Put Linux on them and they'll feel ten years "
                    "younger. Happy to help set it up.",
                ),
            ),
        ),
    ),
    P(
        "ibrahim_physics",
        "How do you handle a demo going wrong in front of the class? #physicsed #scichat",
        P(
            "fiona_chem",
            "@ibrahim_physics Celebrate it. 'Why didn't that work?' is a better "
            "question than the one I'd planned.",
        ),
        P(
            "anjali_stem",
            "@ibrahim_physics Students ask about my failed demos for years. They "
            "remember those most. #scichat",
            P(
                "ibrahim_physics",
                "@anjali_stem True. My collapsing can demo is legendary for all the wrong reasons.",
            ),
        ),
    ),
    P(
        "maria_rossi",
        "Heads and principals: what's one meeting you cancelled this year that "
        "nobody missed? #edleadership",
        P(
            "head_jane",
            "@maria_rossi The weekly data meeting. Data termly now, and we talk "
            "about children weekly instead.",
            P(
                "maria_rossi",
                "@head_jane 'Talk about children, not data' might be the best "
                "leadership advice I've read.",
            ),
        ),
        P(
            "dan_park_vp",
            "@maria_rossi Friday briefing. It's a shared document now and "
            "teachers get 20 minutes back.",
        ),
    ),
    P(
        "grace_reads",
        "Librarians: how do you fund new books when the budget is basically zero? #schoollibraries",
        P(
            "kate_library",
            "@grace_reads Sponsored shelves from local businesses, and a 'gift "
            "a book on your birthday' scheme.",
        ),
        P(
            "hamid_tl",
            "@grace_reads Review copies and author visits with book sales. Slow, "
            "but it adds up. #tlchat",
            P(
                "grace_reads",
                "@hamid_tl Author visits would be wonderful. Our students would "
                "love to meet a real writer.",
            ),
        ),
    ),
    P(
        "diego_bizeng",
        "What's your favourite business English task that isn't a role-play? #TBLT #BizEng",
        P(
            "marta_elt",
            "@diego_bizeng Planning a team lunch with a real budget and real "
            "dietary needs. Surprisingly complex.",
        ),
        P(
            "aylin_eap",
            "@diego_bizeng Writing a complaint email, then answering a classmate's "
            "as customer service. #TBLT",
        ),
    ),
    P(
        "ingrid_solberg",
        "Student teachers keep asking which learning theory is 'right'. "
        "How do you answer? #lrnchat #ITE",
        P(
            "annelie_celta",
            "@ingrid_solberg They're lenses, not answers. Use them to notice "
            "things in your classroom.",
        ),
        P(
            "mike_chen_mentor",
            "@ingrid_solberg 'It depends', then we talk about what it "
            "depends on. That's the good bit. #lrnchat",
            P(
                "ingrid_solberg",
                "@mike_chen_mentor Exactly. The 'what it depends on' "
                "conversation is where they grow.",
            ),
        ),
    ),
    P(
        "tom_ngata",
        "Play-based learning in Years 3 and 4: anyone? Parents ask when the 'real "
        "learning' starts. #playbasedlearning",
        P(
            "lena_hamburg",
            "@tom_ngata We play with a purpose up to age 9. Sharing learning "
            "stories with parents helps a lot.",
        ),
        P(
            "priya_ks1",
            "@tom_ngata Yes! Photos with the learning written underneath. Parents "
            "love seeing the thinking.",
        ),
    ),
    P(
        "sam_whitfield",
        "Science leads: full required practical write-ups, or shorter formats? #scichat",
        P(
            "fiona_chem",
            "@sam_whitfield Shorter, focused on method and evaluation. Full "
            "write-ups only twice a year.",
        ),
    ),
    P(
        "meilin_tan",
        "For #edchat: should students learn to use AI tools, or learn about them first? #AIinEd",
        P(
            "nina_edtech",
            "@meilin_tan About first, then with. Knowing the limits makes them better users later.",
            P(
                "meilin_tan",
                "@nina_edtech Agreed. Our Year 9s were far more critical users "
                "after the 'make it wrong' lesson.",
            ),
        ),
        P(
            "ingrid_solberg",
            "@meilin_tan Both together, in small doses. Teachers need the same approach. #lrnchat",
        ),
    ),
    P(
        "yusuf_bello",
        "Trainers in low-resource settings: what's the one material you'd never give up? #lrnchat",
        P(
            "anjali_stem",
            "@yusuf_bello A big roll of brown paper. Posters, timelines, maps, everything.",
        ),
        P(
            "kenji_reads",
            "@yusuf_bello Cheap paperback readers. One box of them can change a "
            "class. #ExtensiveReading",
            P(
                "yusuf_bello",
                "@kenji_reads Dream item. We're building a box now, mostly from donations.",
            ),
        ),
    ),
    P(
        "maths_with_mo",
        "Mini whiteboards: 'show me' all at once, or reveal when ready? #mathchat",
        P(
            "claire_maths",
            "@maths_with_mo All at once, on a countdown. Otherwise the quick "
            "ones sway everyone else.",
            P(
                "maths_with_mo",
                "@claire_maths The countdown also stops the sneaky rubbing out. Agreed.",
            ),
        ),
    ),
    P(
        "dan_park_vp",
        "Has anyone tried single-point rubrics with Grade 5? Wondering if "
        "they're too open for younger kids. #bcedchat",
        P(
            "sofia_3rdgrade",
            "@dan_park_vp We use a simpler version with pictures in 3rd grade. It works well.",
        ),
    ),
    P(
        ADMIN_USERNAME,
        "Early numbers: 36 educators from over 20 countries, and lots of good "
        "conversations. Thanks for being here! #edchat",
        P(
            "head_jane",
            "@moderator Lovely to see so many countries. The staffroom already feels bigger!",
        ),
    ),
)
