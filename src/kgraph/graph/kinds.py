"""What each kind of curated row becomes: its classes, and the property to its parent.

The one table of kinds the builder, the query parameters (an id of kind
``commune`` is ``<base>/id/commune/<id>``) and the code lists share.
"""

from __future__ import annotations

from rdflib import URIRef

from kgraph.graph.namespaces import KG, ORG, SDO

PLACE_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "country": (SDO.Country,),
    "province": (KG.Province, SDO.AdministrativeArea),
    "district": (KG.District, SDO.AdministrativeArea),
    "commune": (KG.Commune, SDO.AdministrativeArea),
    "village": (KG.Village, SDO.Place),
    "border-gate": (KG.BorderGate, SDO.Place),
    "hydropower": (KG.HydropowerProject, SDO.Place),
}

#: organisation kind -> (class, standard class, property linking it to its parent)
ORG_CLASSES: dict[str, tuple[URIRef, URIRef, URIRef]] = {
    "provincial-party-organisation": (
        KG.ProvincialPartyOrganisation,
        ORG.FormalOrganization,
        ORG.subOrganizationOf,
    ),
    "district-party-organisation": (
        KG.DistrictPartyOrganisation,
        ORG.FormalOrganization,
        ORG.subOrganizationOf,
    ),
    "grassroots-party-committee": (
        KG.GrassrootsPartyCommittee,
        ORG.FormalOrganization,
        ORG.subOrganizationOf,
    ),
    "grassroots-party-cell": (
        KG.GrassrootsPartyCell,
        ORG.FormalOrganization,
        ORG.subOrganizationOf,
    ),
    "party-cell": (KG.PartyCell, ORG.OrganizationalUnit, ORG.unitOf),
    "party-committee": (KG.PartyCommittee, ORG.OrganizationalUnit, ORG.unitOf),
    "standing-committee": (KG.StandingCommittee, ORG.OrganizationalUnit, ORG.unitOf),
    "party-commission": (KG.PartyCommission, ORG.OrganizationalUnit, ORG.unitOf),
    "central-party-body": (KG.CentralPartyBody, ORG.Organization, ORG.subOrganizationOf),
    "armed-forces-unit": (KG.ArmedForcesUnit, ORG.Organization, ORG.subOrganizationOf),
    "media-organisation": (KG.MediaOrganisation, ORG.Organization, ORG.subOrganizationOf),
}

DOCUMENT_CLASSES: dict[str, URIRef] = {
    "decision": KG.Decision,
    "directive": KG.Directive,
    "resolution": KG.Resolution,
    "law": KG.Law,
    "charter": KG.Charter,
}

#: code-list scheme -> (concept scheme, extra class)
SCHEMES: dict[str, tuple[URIRef, URIRef]] = {
    "unit": (KG.units, KG.UnitOfMeasure),
    "qualifier": (KG.qualifiers, KG.ValueQualifier),
    "cell-kind": (KG.cellKinds, KG.CellKind),
    "role": (KG.roles, ORG.Role),
    "category": (KG.categories, KG.IndicatorCategory),
    "partition": (KG.partitions, KG.SharePartition),
}


__all__ = ["DOCUMENT_CLASSES", "ORG_CLASSES", "PLACE_CLASSES", "SCHEMES"]
