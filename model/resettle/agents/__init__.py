"""Mesa agents, one file per kind. Residents and households are views on the model's arrays."""

from resettle.agents.cadre import Cadre
from resettle.agents.cooperative import Cooperative
from resettle.agents.household import Household
from resettle.agents.mass_organisation import MassOrganisation
from resettle.agents.party_branch import GeneralBranch, PartyBranch
from resettle.agents.property_company import PropertyCompany
from resettle.agents.resident import Resident
from resettle.agents.residents_committee import ResidentsCommittee

__all__ = ["Cadre", "Cooperative", "GeneralBranch", "Household", "MassOrganisation",
           "PartyBranch", "PropertyCompany", "Resident", "ResidentsCommittee"]
