"""A corpus of webinar transcripts written for Podium's tests (issue 14), each with its event and agenda.

Six kinds a policy institute brings: a webinar with a speaker abroad, a Chatham House roundtable, a panel
of two, a talk with a long Q&A, a Teams export and Zoom's "Save transcript" text. All are invented: the
people, institutions and words are made up for the tests (nothing is copied), with the mess spoken English
leaves in a transcript: greetings, thanks, frozen video, hand-overs, fillers, false starts, "I think".

Each entry says how to build its event (title, format, attribution rule), who is on its agenda (the
person's fields and their role) and which transcript label is whom; a label mapped to None is someone not
on the agenda (the host account, an audience member), whose words are never reported."""

from pathlib import Path

HERE = Path(__file__).parent

# A person on the agenda: Person fields, the role, and the key the labels refer to.
# designations: (position, organisation, comma) as podium.people.models.Designation stores them.
CORPUS: dict[str, dict] = {
    "webinar_moscow": {
        "file": "webinar-moscow-energy.vtt",  # Zoom cloud recording's audio transcript, "Name: text" cues
        "title": "Russia, Pakistan and the Eurasian Energy Market",
        "format": "webinar",
        "attribution": "on_the_record",
        "agenda": [
            {
                "key": "akhtar",
                "role": "moderator",
                "honorific": "Brig",
                "retired": True,
                "given_names": "Naveed",
                "family_name": "Akhtar",
                "designations": [("Director", "NIPS", False)],
                "pronoun": "he",
            },
            {
                "key": "orlov",
                "role": "main_speaker",
                "honorific": "Dr.",
                "given_names": "Sergei",
                "family_name": "Orlov",
                "designations": [("Senior Research Fellow", "Centre for Eurasian Energy Studies, Moscow", True)],
                "pronoun": "he",
            },
            {
                "key": "qureshi",
                "role": "discussant",
                "honorific": "Ambassador",
                "retired": True,
                "given_names": "Khalid Mahmood",
                "family_name": "Qureshi",
                "designations": [("former Ambassador of Pakistan to Kazakhstan", "", False)],
                "pronoun": "he",
            },
            {
                "key": "hussain",
                "role": "discussant",
                "honorific": "Dr.",
                "given_names": "Nadia",
                "family_name": "Hussain",
                "designations": [("Associate Professor", "NUST School of Social Sciences & Humanities", True)],
                "pronoun": "she",
            },
            {
                "key": "tariq",
                "role": "discussant",
                "honorific": "Mr.",
                "given_names": "Usman",
                "family_name": "Tariq",
                "designations": [("Energy Economist", "Pakistan Energy Forum", True)],
                "pronoun": "he",
            },
            {
                "key": "rehman",
                "role": "closing_remarks",
                "honorific": "Dr.",
                "given_names": "Saima",
                "family_name": "Rehman",
                "designations": [("Director-General", "NIPS", False)],
                "pronoun": "she",
            },
        ],
        "labels": {
            "NIPS Events": None,
            "Naveed Akhtar (NIPS)": "akhtar",
            "Sergei Orlov": "orlov",
            "Khalid Qureshi": "qureshi",
            "Dr Nadia Hussain": "hussain",
            "Usman Tariq": "tariq",
            "Saima Rehman": "rehman",
        },
        "names": ["Rosatom"],
    },
    "chatham_roundtable": {
        "file": "chatham-roundtable-indus-water.vtt",  # Zoom VTT of a hybrid room
        "title": "Roundtable: Water Security in the Indus Basin",
        "format": "roundtable",
        "attribution": "chatham_house",
        "agenda": [
            {
                "key": "baig",
                "role": "moderator",
                "honorific": "Dr.",
                "given_names": "Imran",
                "family_name": "Baig",
                "designations": [("Senior Research Fellow", "NIPS", True)],
                "pronoun": "he",
            },
            {
                "key": "awan",
                "role": "main_speaker",
                "honorific": "Engr",
                "given_names": "Tahir",
                "family_name": "Awan",
                "designations": [("former Member (Water)", "Indus Water Authority", True)],
                "pronoun": "he",
            },
            {
                "key": "aslam",
                "role": "discussant",
                "honorific": "Dr.",
                "given_names": "Mehreen",
                "family_name": "Aslam",
                "designations": [("Hydrologist", "Centre for Climate Studies, Lahore", True)],
                "pronoun": "she",
            },
            {
                "key": "chaudhry",
                "role": "discussant",
                "honorific": "Mr.",
                "given_names": "Bilal",
                "family_name": "Chaudhry",
                "designations": [("Advocate", "High Court", True)],
                "pronoun": "he",
            },
        ],
        "labels": {
            "Imran Baig": "baig",
            "Tahir Awan": "awan",
            "Mehreen Aslam": "aslam",
            "Bilal Chaudhry": "chaudhry",
            "Participant (online)": None,
        },
    },
    "panel_two_speakers": {
        "file": "panel-climate-finance.srt",  # SRT with "Name: text" lines, CRLF line ends
        "title": "Climate Finance after Baku: What Pakistan Can Ask For",
        "format": "webinar",
        "attribution": "on_the_record",
        "agenda": [
            {
                "key": "zaidi",
                "role": "moderator",
                "honorific": "Ms.",
                "given_names": "Fatima",
                "family_name": "Zaidi",
                "designations": [("Research Associate", "NIPS", True)],
                "pronoun": "she",
            },
            {
                "key": "yousaf",
                "role": "main_speaker",
                "honorific": "Dr.",
                "given_names": "Kamran",
                "family_name": "Yousaf",
                "designations": [("former Adviser on Climate Finance", "Ministry of Finance", True)],
                "pronoun": "he",
            },
            {
                "key": "anwar",
                "role": "main_speaker",
                "honorific": "Prof.",
                "given_names": "Rabia",
                "family_name": "Anwar",
                "designations": [("Professor of Economics", "Quaid-i-Azam University", True)],
                "pronoun": "she",
            },
        ],
        "labels": {"Fatima Zaidi": "zaidi", "Kamran Yousaf": "yousaf", "Rabia Anwar": "anwar"},
        # Names the draft may write only after “that”, where the rules cannot tell them from a stray capital.
        "names": ["Article"],
    },
    "talk_long_qa": {
        "file": "talk-ai-deterrence-qa.vtt",  # Zoom VTT; askers are named by Zoom's display names
        "title": "Artificial Intelligence and Strategic Stability in South Asia",
        "format": "webinar",
        "attribution": "on_the_record",
        "agenda": [
            {
                "key": "latif",
                "role": "moderator",
                "honorific": "Air Cdre",
                "retired": True,
                "given_names": "Zahid",
                "family_name": "Latif",
                "designations": [("Senior Research Fellow", "NIPS", True)],
                "pronoun": "he",
            },
            {
                "key": "qamar",
                "role": "main_speaker",
                "honorific": "Dr.",
                "given_names": "Hina",
                "family_name": "Qamar",
                "designations": [
                    ("Assistant Professor", "Department of Strategic Studies, National Defence University", True)
                ],
                "pronoun": "she",
            },
            {
                "key": "akram",
                "role": "closing_remarks",
                "honorific": "Lt Gen",
                "retired": True,
                "given_names": "Sohail",
                "family_name": "Akram",
                "designations": [("President", "NIPS Advisory Board", True)],
                "pronoun": "he",
            },
        ],
        "labels": {
            "Zahid Latif": "latif",
            "Dr. Hina Qamar": "qamar",
            "Hamza Javed": None,
            "Ayesha K": None,
            "Galaxy A52": None,
            "Sohail Akram": "akram",
        },
    },
    "teams_export": {
        "file": "teams-cpec-at-ten.vtt",  # Teams: <v Name> voice tags, timings such as 0:0:1.2 --> 0:0:10.22
        "title": "CPEC at Ten: Lessons for the Next Decade",
        "format": "webinar",
        "attribution": "on_the_record",
        "agenda": [
            {
                "key": "kiani",
                "role": "moderator",
                "honorific": "Ms.",
                "given_names": "Sidra",
                "family_name": "Kiani",
                "designations": [("Research Officer", "NIPS", True)],
                "pronoun": "she",
            },
            {
                # A Chinese name, family name first: staff write the later mention themselves.
                "key": "wang",
                "role": "main_speaker",
                "honorific": "Prof.",
                "given_names": "Wang",
                "family_name": "Jian",
                "later_mention_override": "Prof. Wang",
                "designations": [("Professor", "Institute of South Asian Studies, Beijing", True)],
                "pronoun": "he",
            },
            {
                "key": "rafiq",
                "role": "discussant",
                "honorific": "Mr.",
                "given_names": "Adeel",
                "family_name": "Rafiq",
                "designations": [("Chief Economist", "Karachi Chamber Research Cell", True)],
                "pronoun": "he",
            },
            {
                "key": "mir",
                "role": "discussant",
                "honorific": "Dr.",
                "given_names": "Shazia",
                "family_name": "Mir",
                "designations": [("Associate Professor of Economics", "University of Peshawar", True)],
                "pronoun": "she",
            },
            {
                "key": "raza",
                "role": "closing_remarks",
                "honorific": "Ambassador",
                "retired": True,
                "given_names": "Mohsin",
                "family_name": "Raza",
                "designations": [("Senior Adviser", "NIPS", True)],
                "pronoun": "he",
            },
        ],
        "labels": {
            "Sidra Kiani (NIPS)": "kiani",
            "Wang Jian": "wang",
            "Rafiq, Adeel": "rafiq",
            "Shazia Mir": "mir",
            "Mohsin Raza": "raza",
        },
    },
    "zoom_saved_text": {
        "file": "zoom-saved-blue-economy.txt",  # Zoom's "Save transcript": [Name] 15:01:11, the words below
        "title": "Pakistan's Blue Economy: Ports, Fisheries and the Arabian Sea",
        "format": "webinar",
        "attribution": "on_the_record",
        "agenda": [
            {
                "key": "hameed",
                "role": "moderator",
                "honorific": "Cdr",
                "retired": True,
                "given_names": "Faisal",
                "family_name": "Hameed",
                "designations": [("Research Fellow", "NIPS", True)],
                "pronoun": "he",
            },
            {
                "key": "haider",
                "role": "main_speaker",
                "honorific": "Dr.",
                "given_names": "Zainab",
                "family_name": "Haider",
                "designations": [("Senior Fellow", "Maritime Studies Forum, Karachi", True)],
                "pronoun": "she",
            },
            {
                "key": "bashir",
                "role": "discussant",
                "honorific": "Mr.",
                "given_names": "Junaid",
                "family_name": "Bashir",
                "designations": [("Director", "Korangi Fishermen's Cooperative", True)],
                "pronoun": "he",
            },
            {
                "key": "nasir",
                "role": "discussant",
                "honorific": "Capt",
                "retired": True,
                "given_names": "Omar",
                "family_name": "Nasir",
                "designations": [("maritime security analyst", "", False)],
                "pronoun": "he",
            },
            {
                "key": "kamal",
                "role": "closing_remarks",
                "honorific": "Vice Adm",
                "retired": True,
                "given_names": "Arshad",
                "family_name": "Kamal",
                "designations": [("Adviser", "NIPS", True)],
                "pronoun": "he",
            },
        ],
        "labels": {
            "NIPS Webinars": None,
            "Faisal Hameed": "hameed",
            "Zainab Haider": "haider",
            "Junaid Bashir": "bashir",
            "Omar Nasir": "nasir",
            "Arshad Kamal": "kamal",
        },
    },
}


def transcript_bytes(name: str) -> bytes:
    return (HERE / CORPUS[name]["file"]).read_bytes()
