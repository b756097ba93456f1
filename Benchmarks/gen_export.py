#!/usr/bin/env python3
"""Synthetic SIS export for benchmarking `sis-sync validate` (SPEC §3).

Writes an export of N data rows with the ten SPEC §3 columns:

    first_name,middle_name,last_name,email,custom_id,school_district_external_id,
    user_type,position,grade,status

Clean rows are valid under SPEC §3 *and* under the stricter rules of
shared/bench/peer_validate.py (canonical spellings, nothing to trim):

  * about 90% students (grade PreK, K, 1-12, sometimes empty/Unspecified/Other,
    no position); teachers, staff and administrators have positions, some of
    them quoted because they hold commas and quotes, a quote doubled inside
    the quoted field (Coordinator, "ELL" Programs becomes
    "Coordinator, ""ELL"" Programs" in the file);
  * about 15% of rows have non-ASCII names (accented Latin, Vietnamese,
    Chinese/Japanese/Korean, Cyrillic); emails stay ASCII;
  * custom_id and email are unique (ids keep leading zeros: 00012345).

Exactly round(N * --invalid-share) rows carry one defect each, the kinds used
in turn (so each gets about an eighth):

  missing_required  one of first_name, last_name, email, custom_id,
                    school_district_external_id, user_type, status is empty
  bad_email         not a plain address (no @, no dot in the domain, ...)
  bad_user_type     Parent, Guardian, Substitute, ... (no case-only variants)
  bad_status        Pending, Archived, Graduated, ... (no case-only variants)
  bad_grade         a student with grade 14, Senior, ...
  dup_custom_id     the custom_id of an earlier clean row
  dup_email         the email of an earlier clean row (sometimes in other case)
  unknown_school    an ID that is not in the schools list

--schools writes the schools list (`external_id,name`, one school a line).
--directory writes a directory CSV with the same ten columns: by default 90%
of the export's people (5% of those with one field changed) plus 2% more
people found only in the directory; `--directory-share 0` writes the header
only (an empty directory).

The output depends only on the options: the same seed gives the same bytes
(with or without --directory/--schools, the export is the same). A summary
goes to standard error.
"""
import argparse
import os
import random
import sys
import time

HEADER = ("first_name,middle_name,last_name,email,custom_id,"
          "school_district_external_id,user_type,position,grade,status")

DISTRICT_DOMAIN = "lakeview.k12.example.org"
STUDENT_DOMAIN = "students." + DISTRICT_DOMAIN
BATCH_ROWS = 20_000

DEFECT_KINDS = ("missing_required", "bad_email", "bad_user_type", "bad_status",
                "bad_grade", "dup_custom_id", "dup_email", "unknown_school")


def csv_field(value):
    """One field as RFC 4180 wants it: quoted when it holds , " CR or LF."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


# --------------------------------------------------------------------------- names
# "Display|ascii-slug" (the slug builds the email address).
ASCII_FIRST = """James|james Mary|mary Robert|robert Patricia|patricia John|john
Jennifer|jennifer Michael|michael Linda|linda David|david Elizabeth|elizabeth
William|william Barbara|barbara Richard|richard Susan|susan Joseph|joseph
Jessica|jessica Thomas|thomas Sarah|sarah Charles|charles Karen|karen
Christopher|christopher Lisa|lisa Daniel|daniel Nancy|nancy Matthew|matthew
Betty|betty Anthony|anthony Margaret|margaret Mark|mark Sandra|sandra
Aaliyah|aaliyah Jayden|jayden Mateo|mateo Olivia|olivia Liam|liam Emma|emma
Noah|noah Ava|ava Ethan|ethan Sophia|sophia DeShawn|deshawn Imani|imani
Mary-Kate|marykate Xavier|xavier Priya|priya Omar|omar Fatima|fatima
Kai|kai Harper|harper Elijah|elijah Amara|amara""".split()
ASCII_LAST = """Smith|smith Johnson|johnson Williams|williams Brown|brown Jones|jones
Garcia|garcia Miller|miller Davis|davis Rodriguez|rodriguez Martinez|martinez
Hernandez|hernandez Lopez|lopez Gonzalez|gonzalez Wilson|wilson
Anderson|anderson Thomas|thomas Taylor|taylor Moore|moore Jackson|jackson
Martin|martin Lee|lee Perez|perez Thompson|thompson White|white Harris|harris
Sanchez|sanchez Clark|clark Ramirez|ramirez Lewis|lewis Robinson|robinson
O'Brien|obrien Smith-Jones|smithjones McDonald|mcdonald Patel|patel
Nakamura|nakamura Okafor|okafor Kowalski|kowalski Washington|washington""".split()
# Names with spaces or quotes (need the | split, not whitespace split).
ASCII_FIRST += ['Robert "Bob"|bob', "Mary Ann|maryann"]
ASCII_LAST += ["Van der Berg|vanderberg", "De La Cruz|delacruz"]

LATIN_FIRST = """José|jose María|maria Zoë|zoe Renée|renee Chloé|chloe
François|francois Björn|bjorn Søren|soren Łukasz|lukasz Ángel|angel Inés|ines
Noémie|noemie Jürgen|jurgen Raúl|raul Íñigo|inigo Çağla|cagla Anaïs|anais""".split()
LATIN_LAST = """Muñoz|munoz Peña|pena Gómez|gomez Müller|muller Šimić|simic
Dvořák|dvorak Ødegaard|odegaard Núñez|nunez Céspedes|cespedes
Wiśniewski|wisniewski Öztürk|ozturk García-Márquez|garciamarquez
Lefèvre|lefevre Sørensen|sorensen Żak|zak""".split()
VIET_FIRST = """Thảo|thao Minh|minh Hương|huong Dũng|dung Phương|phuong Tuấn|tuan
Ngọc|ngoc Quỳnh|quynh Đức|duc Hải|hai Trâm|tram Khoa|khoa""".split()
VIET_MIDDLE = """Văn|van Thị|thi Đức|duc Minh|minh Ngọc|ngoc""".split()
VIET_LAST = """Nguyễn|nguyen Trần|tran Lê|le Phạm|pham Hoàng|hoang Huỳnh|huynh
Phan|phan Vũ|vu Đặng|dang Bùi|bui Đỗ|do""".split()
CJK_FIRST = """伟|wei 芳|fang 娜|na 秀英|xiuying 敏|min 静|jing 丽|li 强|qiang
磊|lei 洋|yang 翔太|shota 陽菜|hina 蓮|ren 민준|minjun 서연|seoyeon 지우|jiwoo""".split()
CJK_LAST = """王|wang 李|li 张|zhang 刘|liu 陈|chen 杨|yang 黄|huang 赵|zhao
佐藤|sato 鈴木|suzuki 高橋|takahashi 田中|tanaka 김|kim 이|lee 박|park""".split()
CYR_FIRST = """Алексей|aleksei Мария|mariia Дмитрий|dmitrii Анна|anna Иван|ivan
Ольга|olga Сергей|sergei Наталья|natalia Олександр|oleksandr Катерина|kateryna""".split()
CYR_LAST = """Иванов|ivanov Смирнова|smirnova Кузнецов|kuznetsov Попова|popova
Соколов|sokolov Шевченко|shevchenko Бондаренко|bondarenko Волкова|volkova""".split()


def pool(entries):
    """[(csv-encoded display name, slug)] from "Display|slug" strings."""
    out = []
    for entry in entries:
        display, slug = entry.rsplit("|", 1)
        out.append((csv_field(display), slug))
    return out


# (first names, middle names, last names); the ASCII culture is used for ~85%
# of rows, the four others share the remaining ~15%.
ASCII_CULTURE = (pool(ASCII_FIRST), pool(ASCII_FIRST), pool(ASCII_LAST))
OTHER_CULTURES = [
    (pool(LATIN_FIRST), pool(LATIN_FIRST), pool(LATIN_LAST)),
    (pool(VIET_FIRST), pool(VIET_MIDDLE), pool(VIET_LAST)),
    (pool(CJK_FIRST), [], pool(CJK_LAST)),
    (pool(CYR_FIRST), pool(CYR_FIRST), pool(CYR_LAST)),
]
NON_ASCII_SHARE = 0.15

# --------------------------------------------------------------------------- people
# user_type by cumulative share: ~90% students.
USER_TYPE_CUTS = ((0.900, "Student"), (0.960, "Teacher"), (0.985, "Staff"), (1.0, "Administrator"))
POSITIONS = {
    "Teacher": ["Math Teacher", "Science Teacher", "English Teacher", "Art Teacher",
                "Kindergarten Teacher", "Music Teacher", "Teacher, Grade 3",
                "Teacher, Special Education", 'Teacher, "Gifted & Talented"',
                "Physical Education Teacher", "Teacher"],
    "Staff": ["Counselor", "Librarian", "Nurse", "Custodian", "Secretary, Front Office",
              "Bus Driver", 'Aide, "Room 12" (Library)', "IT Technician", "Cafeteria Manager", ""],
    "Administrator": ["Principal", "Assistant Principal", "Director, Curriculum & Instruction",
                      "Superintendent", 'Coordinator, "ELL" Programs', "Dean of Students"],
}
POSITIONS = {k: [csv_field(p) for p in v] for k, v in POSITIONS.items()}
# Student grades, weighted towards PreK..12 with a few empty/Unspecified/Other.
GRADES = (["PreK"] * 3 + ["K"] * 8 + [str(g) for g in range(1, 13) for _ in range(8)]
          + ["", "", "Unspecified", "Other"])
DISABLED_SHARE = 0.03
MIDDLE_SHARE = 0.35

# --------------------------------------------------------------------------- defects
BAD_EMAIL_FORMS = ("{l}.at." + DISTRICT_DOMAIN,      # no @
                   "{l}@lakeview",                   # one-label domain
                   "{l}@@" + DISTRICT_DOMAIN,        # doubled @
                   "{l} {n}@" + DISTRICT_DOMAIN,     # space inside
                   "{l}@" + DISTRICT_DOMAIN + "..",  # empty label
                   "{l}@" + DISTRICT_DOMAIN + ",")   # trailing comma (quoted)
BAD_USER_TYPES = ("Parent", "Guardian", "Substitute", "Volunteer", "Stduent", "Techer")
BAD_STATUSES = ("Pending", "Archived", "Graduated", "On Leave", "Actve", "Transferred")
BAD_GRADES = ("14", "0", "Senior", "Grade 14", "PK3", "Freshman")
# Indexes of the required fields in a row (see HEADER).
REQUIRED_FIELDS = (0, 2, 3, 4, 5, 6, 9)
RECENT_KEYS = 4096   # duplicates copy one of the last clean rows' keys


def schools_for(rows, count):
    """[(external_id, name)] for `count` schools (default: one per 2,500 rows)."""
    if count is None:
        count = max(3, min(400, rows // 2500))
    names = [s.split("|")[0] for s in ASCII_LAST] + ["Lincoln", "Jefferson", "Roosevelt",
                                                     "Riverside", "Oak Grove", "Hillcrest"]
    kinds = ["Elementary School", "Middle School", "High School", "K-8 Academy",
             "Early Learning Center"]
    out = []
    for k in range(count):
        name = f"{names[k % len(names)]} {kinds[(k // len(names)) % len(kinds)]}"
        if k % 17 == 5:
            name += ", North Campus"          # a name that needs quotes
        if k >= len(names) * len(kinds):
            name += f" {k // (len(names) * len(kinds)) + 1}"
        out.append((f"{1000 + k}", name))
    return out


def unknown_school(rng, school_ids):
    """An external ID that is not a school: a typo of one, or a new number."""
    known = set(school_ids)
    while True:
        sid = rng.choice(school_ids)
        form = rng.randrange(3)
        if form == 0:
            candidate = sid.replace("0", "O", 1) if "0" in sid else sid + "X"
        elif form == 1:
            candidate = f"9{rng.randrange(1000):03d}"
        else:
            candidate = sid + str(rng.randrange(10))
        if candidate not in known:
            return candidate


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(f"{args.seed}:export")
        self.school_ids = [sid for sid, _ in schools_for(args.rows, args.school_count)]
        self.id_width = max(8, len(str(args.rows * 2)))
        self.recent = []          # (custom_id, email) of recent clean rows
        self.counts = {k: 0 for k in DEFECT_KINDS}
        self.defects = self.plan_defects()

    def plan_defects(self):
        """{row index: defect kind} for exactly round(rows * share) rows."""
        rows = self.args.rows
        n = min(rows, round(rows * self.args.invalid_share))
        plan_rng = random.Random(f"{self.args.seed}:defects")
        picked = sorted(plan_rng.sample(range(rows), n))
        order = list(range(n))
        plan_rng.shuffle(order)   # kinds in turn, spread over the file
        return {picked[j]: DEFECT_KINDS[order[j] % len(DEFECT_KINDS)] for j in range(n)}

    def person(self, i, force_student=False):
        """The clean row i as a list of ten CSV-encoded fields."""
        r = self.rng.random
        if r() < NON_ASCII_SHARE:
            firsts, middles, lasts = OTHER_CULTURES[int(r() * len(OTHER_CULTURES))]
        else:
            firsts, middles, lasts = ASCII_CULTURE
        first, fslug = firsts[int(r() * len(firsts))]
        last, lslug = lasts[int(r() * len(lasts))]
        middle = middles[int(r() * len(middles))][0] if middles and r() < MIDDLE_SHARE else ""
        u = r()
        user_type = "Student" if force_student else next(t for cut, t in USER_TYPE_CUTS if u < cut)
        number = i + 1
        if user_type == "Student":
            custom_id = f"{number:0{self.id_width}d}"
            email = f"{fslug[0]}{lslug}{number}@{STUDENT_DOMAIN}"
            position = ""
            grade = GRADES[int(r() * len(GRADES))]
        else:
            custom_id = f"E{number:0{self.id_width}d}"
            email = f"{fslug}.{lslug}{number}@{DISTRICT_DOMAIN}"
            positions = POSITIONS[user_type]
            position = positions[int(r() * len(positions))]
            grade = ""
        school = self.school_ids[int(r() * len(self.school_ids))]
        status = "Disabled" if r() < DISABLED_SHARE else "Active"
        return [first, middle, last, email, custom_id, school, user_type, position, grade, status]

    def apply_defect(self, kind, row):
        """Breaks `row` in one way; returns the kind actually used."""
        rng = self.rng
        if kind in ("dup_custom_id", "dup_email") and not self.recent:
            kind = "missing_required"         # nothing earlier to repeat yet
        if kind == "missing_required":
            row[rng.choice(REQUIRED_FIELDS)] = ""
        elif kind == "bad_email":
            local = row[3].split("@", 1)[0]
            row[3] = csv_field(rng.choice(BAD_EMAIL_FORMS).format(l=local, n=rng.randrange(100)))
        elif kind == "bad_user_type":
            row[6] = rng.choice(BAD_USER_TYPES)
        elif kind == "bad_status":
            row[9] = rng.choice(BAD_STATUSES)
        elif kind == "bad_grade":
            row[8] = rng.choice(BAD_GRADES)   # person() made this row a student
        elif kind == "dup_custom_id":
            row[4] = rng.choice(self.recent)[0]
        elif kind == "dup_email":
            email = rng.choice(self.recent)[1]
            row[3] = email.upper() if rng.random() < 0.3 else email
        elif kind == "unknown_school":
            row[5] = unknown_school(rng, self.school_ids)
        self.counts[kind] += 1
        return kind

    def rows(self):
        """Yields (export row fields, clean fields or None when the row's key is a duplicate)."""
        recent = self.recent
        defects = self.defects
        for i in range(self.args.rows):
            kind = defects.get(i)
            row = self.person(i, force_student=(kind == "bad_grade"))
            if kind is None:
                if len(recent) < RECENT_KEYS:
                    recent.append((row[4], row[3]))
                else:
                    recent[i % RECENT_KEYS] = (row[4], row[3])
                yield row, row
            else:
                clean = list(row)
                used = self.apply_defect(kind, row)
                yield row, (None if used.startswith("dup_") else clean)


class Directory:
    """The directory CSV: most of the export's people, a few changed, a few extra."""

    def __init__(self, args):
        self.args = args
        self.rng = random.Random(f"{args.seed}:directory")
        self.present = 0
        self.changed = 0

    def entry(self, clean):
        """The directory's version of a clean export row, or None if absent."""
        r = self.rng.random
        if clean is None or r() >= self.args.directory_share:
            return None
        self.present += 1
        if r() >= self.args.directory_changed:
            return clean
        self.changed += 1
        row = list(clean)
        change = int(r() * 4)
        if change == 0:
            row[2] = ASCII_CULTURE[2][int(r() * len(ASCII_CULTURE[2]))][0]   # last name
        elif change == 1:
            row[9] = "Disabled" if row[9] == "Active" else "Active"
        elif change == 2 and row[6] == "Student":
            row[8] = "K" if row[8] != "K" else "1"
        elif change == 2:
            row[7] = "Instructional Coach" if row[7] != "Instructional Coach" else "Teacher"
        else:
            row[5] = "1000" if row[5] != "1000" else "1001"
        return row

    def extras(self, gen, rows):
        """People only in the directory (ids after every export id)."""
        n = round(self.present * self.args.directory_extra)
        for k in range(n):
            row = gen.person(rows + k)
            yield row


def write_atomically(path, chunks):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        for chunk in chunks:
            f.write(chunk)
    os.replace(tmp, path)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="gen_export.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, required=True, metavar="N",
                    help="number of data rows in the export (the header is extra)")
    ap.add_argument("--invalid-share", type=float, default=0.01, metavar="F",
                    help="share of rows with one defect, 0..1 (default 0.01: 1%%)")
    ap.add_argument("--seed", type=int, default=42, metavar="S",
                    help="random seed; the same seed and options give the same files (default 42)")
    ap.add_argument("--out", required=True, metavar="FILE", help="the export CSV to write")
    ap.add_argument("--crlf", action="store_true",
                    help="end lines with CRLF (as Windows SIS exports do) instead of LF")
    ap.add_argument("--schools", metavar="FILE",
                    help="also write the schools list: header external_id,name then one school a line")
    ap.add_argument("--school-count", type=int, metavar="N",
                    help="number of schools (default: rows/2500, at least 3, at most 400)")
    ap.add_argument("--directory", metavar="FILE",
                    help="also write a directory CSV with the same ten columns")
    ap.add_argument("--directory-share", type=float, default=0.9, metavar="F",
                    help="share of the export's people (clean rows and rows with a non-duplicate "
                         "defect) present in the directory (default 0.9; 0 writes the header only)")
    ap.add_argument("--directory-changed", type=float, default=0.05, metavar="F",
                    help="share of those directory entries with one field changed (default 0.05)")
    ap.add_argument("--directory-extra", type=float, default=0.02, metavar="F",
                    help="people only in the directory, as a share of its entries (default 0.02)")
    a = ap.parse_args(argv)
    if a.rows < 0:
        ap.error("--rows must be 0 or more")
    for name in ("invalid_share", "directory_share", "directory_changed", "directory_extra"):
        if not 0.0 <= getattr(a, name) <= 1.0:
            ap.error(f"--{name.replace('_', '-')} must be between 0 and 1")
    if a.school_count is not None and a.school_count < 1:
        ap.error("--school-count must be 1 or more")
    return a


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    nl = "\r\n" if args.crlf else "\n"
    gen = Generator(args)
    directory = Directory(args) if args.directory else None
    dir_batches = []          # directory text, kept until the export is done

    def export_chunks():
        yield HEADER + nl
        batch = []
        dir_batch = []
        for row, clean in gen.rows():
            batch.append(",".join(row))
            if directory is not None:
                entry = directory.entry(clean)
                if entry is not None:
                    dir_batch.append(",".join(entry))
            if len(batch) == BATCH_ROWS:
                yield nl.join(batch) + nl
                batch.clear()
                if dir_batch:
                    dir_batches.append(nl.join(dir_batch) + nl)
                    dir_batch = []
        if batch:
            yield nl.join(batch) + nl
        if dir_batch:
            dir_batches.append(nl.join(dir_batch) + nl)

    if directory is None:
        write_atomically(args.out, export_chunks())
    else:
        # The directory text is written to a temporary file as it comes, so a
        # million-row directory is never held in memory as a whole.
        dir_tmp = f"{args.directory}.tmp{os.getpid()}"
        with open(dir_tmp, "w", encoding="utf-8", newline="") as dir_file:
            dir_file.write(HEADER + nl)

            def export_and_flush():
                for chunk in export_chunks():
                    yield chunk
                    while dir_batches:
                        dir_file.write(dir_batches.pop(0))
                while dir_batches:
                    dir_file.write(dir_batches.pop(0))

            write_atomically(args.out, export_and_flush())
            extra = [",".join(row) for row in directory.extras(gen, args.rows)]
            for start in range(0, len(extra), BATCH_ROWS):
                dir_file.write(nl.join(extra[start:start + BATCH_ROWS]) + nl)
        os.replace(dir_tmp, args.directory)

    if args.schools:
        schools = schools_for(args.rows, args.school_count)
        write_atomically(args.schools, ["external_id,name" + nl]
                         + [f"{sid},{csv_field(name)}{nl}" for sid, name in schools])

    invalid = sum(gen.counts.values())
    kinds = " ".join(f"{k}={v}" for k, v in gen.counts.items())
    print(f"gen_export: {args.out}: {args.rows} rows, {invalid} invalid ({kinds}), "
          f"{os.path.getsize(args.out)} bytes", file=sys.stderr)
    if directory is not None:
        extra = round(directory.present * args.directory_extra)
        print(f"gen_export: {args.directory}: {directory.present + extra} people "
              f"({directory.present} from the export, {directory.changed} changed, {extra} only "
              f"in the directory)", file=sys.stderr)
    if args.schools:
        print(f"gen_export: {args.schools}: {len(gen.school_ids)} schools", file=sys.stderr)
    print(f"gen_export: done in {time.perf_counter() - started:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
