"""What a column of an imported spreadsheet can hold, and the mapping guessed from its heading."""

import re

# Field key: label shown to the staff. The order is the order of the mapping page's choices.
FIELDS = {
    "email": "Email address",
    "honorific": "Rank or honorific",
    "given_names": "Given names",
    "family_name": "Family name",
    "full_name": "Full name (split into rank, given and family names)",
    "post_nominals": "Post-nominals",
    "position": "Designation (position)",
    "organisation": "Organisation",
    "country": "Country",
    "time_zone": "Time zone",
    "segment": "Segment",
    "tags": "Tags",
    "consent": "Consent to contact",
}
IGNORE = ""
FIELD_CHOICES = [(IGNORE, "Ignore this column"), *FIELDS.items()]

# Headings as other tools write them, compared without case, spaces or punctuation.
SYNONYMS = {
    "email": ["email", "emailaddress", "mail", "emailid", "primaryemail", "workemail", "emailaddr"],
    "honorific": ["title", "rank", "honorific", "salutation", "prefix", "ranktitle", "nameprefix"],
    "given_names": ["firstname", "givenname", "givennames", "forename", "forenames", "first"],
    "family_name": ["lastname", "surname", "familyname", "last"],
    "full_name": ["name", "fullname", "contactname", "displayname", "personname"],
    "post_nominals": ["postnominals", "postnominal", "suffix", "namesuffix", "letters"],
    "position": ["designation", "position", "jobtitle", "job", "role", "jobposition"],
    "organisation": [
        "organisation",
        "organization",
        "org",
        "company",
        "institution",
        "employer",
        "affiliation",
        "companyname",
        "organisationname",
        "organizationname",
    ],
    "country": ["country", "nation", "countryregion", "countryname"],
    "time_zone": ["timezone", "tz", "zone"],
    "segment": ["segment", "category", "audiencesegment", "contacttype", "sector"],
    "tags": ["tags", "tag", "labels", "label", "lists", "groups"],
    "consent": [
        "consent",
        "consenttocontact",
        "optin",
        "optedin",
        "subscribed",
        "emailconsent",
        "marketingconsent",
        "cancontact",
    ],
}
_HEADING_TO_FIELD = {heading: key for key, headings in SYNONYMS.items() for heading in headings}


def heading_key(heading: str) -> str:
    return re.sub(r"[^a-z0-9]", "", heading.casefold())


def mapping_guess(headers: list[str]) -> list[str]:
    """A field for each heading we recognise, each field for its first column only."""
    taken, mapping = set(), []
    for heading in headers:
        key = _HEADING_TO_FIELD.get(heading_key(heading), IGNORE)
        if key in taken:
            key = IGNORE
        taken.add(key)
        mapping.append(key)
    return mapping


def mapping_errors(*, headers: list[str], mapping: list[str]) -> list[str]:
    """What keeps a mapping from being used, in words; an empty list when it is fine."""
    errors = []
    if len(mapping) != len(headers) or any(key not in FIELDS and key != IGNORE for key in mapping):
        return ["The column choices do not match the file. Start the import again."]
    for key, label in FIELDS.items():
        columns = [headers[i] for i, mapped in enumerate(mapping) if mapped == key]
        if len(columns) > 1:
            names = ", ".join(f"“{c}”" for c in columns)
            errors.append(f"{names} are all set to “{label}”. Choose one column for it and ignore the others.")
    if "email" not in mapping:
        errors.append("Choose the column that holds the email address: people are matched by it.")
    if "family_name" not in mapping and "full_name" not in mapping:
        errors.append("Choose the column with the family name, or the one with the full name.")
    if "given_names" in mapping and "full_name" in mapping and "family_name" not in mapping:
        errors.append(
            "Given names and a full name are both chosen: choose the family name column too, or ignore the given names."
        )
    return errors
