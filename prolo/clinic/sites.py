"""The coded list of common prolotherapy injection sites.

Codes are stable identifiers stored in the database; labels are for people. `region` groups
them in pick lists; `spinal` and `thoracic` mark sites where later safety rules apply
(benzyl-alcohol diluents never at spinal sites; pneumothorax risk at thoracic/chest-wall sites,
domain brief §7 and §8). `structures` is what an injection at the site may be recorded as.
"""

from __future__ import annotations

from dataclasses import dataclass

UNCODED = "other"
# A ligament or tendon is injected at its painful insertion, the enthesis [R1][R2] (domain
# notes §1: "small volumes at painful ligament/tendon insertions (entheses)"), so either may be
# recorded there.
INSERTION_OF = {"ligament": ("enthesis",), "tendon": ("enthesis",)}


@dataclass(frozen=True)
class Site:
    code: str
    label: str
    region: str
    structure: str
    spinal: bool = False
    thoracic: bool = False

    @property
    def structures(self) -> tuple[str, ...]:
        """The target structures an injection here may have; empty for 'Other site' (any)."""
        if self.code == UNCODED:
            return ()
        return (self.structure, *INSERTION_OF.get(self.structure, ()))

    def allows(self, structure: str) -> bool:
        return not self.structures or structure in self.structures


SITES: tuple[Site, ...] = (
    Site("knee-ia", "Knee joint (intra-articular)", "Knee", "joint"),
    Site("knee-mcl", "Knee, medial collateral ligament", "Knee", "ligament"),
    Site("knee-lcl", "Knee, lateral collateral ligament", "Knee", "ligament"),
    Site("knee-coronary", "Knee, coronary ligaments", "Knee", "ligament"),
    Site("knee-pes", "Knee, pes anserine insertion", "Knee", "enthesis"),
    Site("knee-patellar-tendon", "Knee, patellar tendon", "Knee", "tendon"),
    Site("knee-tibial-tuberosity", "Knee, tibial tuberosity", "Knee", "enthesis"),
    Site("knee-quadriceps-tendon", "Knee, quadriceps tendon insertion", "Knee", "enthesis"),
    Site("hip-ia", "Hip joint (intra-articular)", "Hip", "joint"),
    Site("hip-gluteal-tendons", "Hip, gluteal tendons at greater trochanter", "Hip", "tendon"),
    Site("shoulder-supraspinatus", "Shoulder, supraspinatus insertion", "Shoulder", "enthesis"),
    Site("shoulder-infraspinatus", "Shoulder, infraspinatus insertion", "Shoulder", "enthesis"),
    Site("shoulder-biceps-long-head", "Shoulder, long head of biceps", "Shoulder", "tendon"),
    Site("shoulder-gh", "Shoulder, glenohumeral joint", "Shoulder", "joint"),
    Site("shoulder-ac", "Shoulder, acromioclavicular joint", "Shoulder", "joint"),
    Site(
        "elbow-common-extensor",
        "Elbow, common extensor origin (lateral epicondyle)",
        "Elbow",
        "enthesis",
    ),
    Site(
        "elbow-common-flexor",
        "Elbow, common flexor origin (medial epicondyle)",
        "Elbow",
        "enthesis",
    ),
    Site("elbow-annular", "Elbow, annular ligament", "Elbow", "ligament"),
    Site("hand-thumb-cmc", "Thumb carpometacarpal joint", "Wrist and hand", "joint"),
    Site("hand-finger-ip", "Finger interphalangeal joint", "Wrist and hand", "joint"),
    Site("wrist-tfcc", "Wrist, triangular fibrocartilage complex", "Wrist and hand", "ligament"),
    Site("ankle-achilles", "Achilles tendon (mid-portion)", "Ankle and foot", "tendon"),
    Site("ankle-atfl", "Ankle, anterior talofibular ligament", "Ankle and foot", "ligament"),
    Site("foot-plantar-fascia", "Plantar fascia origin", "Ankle and foot", "enthesis"),
    Site("lumbar-facet", "Lumbar facet joint capsule", "Spine and pelvis", "joint", spinal=True),
    Site(
        "lumbar-interspinous",
        "Lumbar interspinous / supraspinous ligaments",
        "Spine and pelvis",
        "ligament",
        spinal=True,
    ),
    Site("lumbar-iliolumbar", "Iliolumbar ligament", "Spine and pelvis", "ligament", spinal=True),
    Site("si-posterior", "Sacroiliac joint, posterior ligaments", "Spine and pelvis", "ligament"),
    Site("si-ia", "Sacroiliac joint (intra-articular)", "Spine and pelvis", "joint"),
    Site("sacrotuberous", "Sacrotuberous ligament", "Spine and pelvis", "ligament"),
    Site("caudal-epidural", "Caudal epidural space", "Spine and pelvis", "nerve", spinal=True),
    Site("cervical-facet", "Cervical facet joint capsule", "Neck and thorax", "joint", spinal=True),
    Site(
        "thoracic-costotransverse",
        "Thoracic costotransverse joints",
        "Neck and thorax",
        "ligament",
        spinal=True,
        thoracic=True,
    ),
    Site(
        "chest-costochondral",
        "Costochondral junction (chest wall)",
        "Neck and thorax",
        "joint",
        thoracic=True,
    ),
    Site("tmj", "Temporomandibular joint", "Jaw", "joint"),
    Site("other", "Other site (describe)", "Other", "other"),
)

SITES_BY_CODE = {site.code: site for site in SITES}


def site_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices grouped by region, in list order, for a <select> with <optgroup>s."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for site in SITES:
        groups.setdefault(site.region, []).append((site.code, site.label))
    return list(groups.items())
