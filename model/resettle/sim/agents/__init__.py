"""Mesa agents, one file per kind. Residents and households are views on the model's arrays."""

from resettle.sim.agents.cadre import Cadre
from resettle.sim.agents.cooperative import Cooperative
from resettle.sim.agents.household import Household
from resettle.sim.agents.mass_organisation import MassOrganisation
from resettle.sim.agents.owners_committee import OwnersCommittee
from resettle.sim.agents.party_branch import GeneralBranch, PartyBranch
from resettle.sim.agents.property_company import PropertyCompany
from resettle.sim.agents.resident import Resident
from resettle.sim.agents.residents_committee import ResidentsCommittee

__all__ = ["Cadre", "Cooperative", "GeneralBranch", "Household", "MassOrganisation",
           "OwnersCommittee", "PartyBranch", "PropertyCompany", "Resident", "ResidentsCommittee"]
