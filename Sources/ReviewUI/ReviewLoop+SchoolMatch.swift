import SyncEngine

/// `O`: the export's unknown building IDs matched to organizations by the
/// SIS's organizations file, accepted all at once as the decisions `o`
/// makes one by one.
extension ReviewLoop {
  func startSchoolMatch() {
    guard let file = model.organizationsFile else { return }
    let offers = SchoolMatchOffers.offers(model.livePlan, file: file)
    guard !offers.isEmpty else {
      let unknown = SchoolMatchOffers.unknownBuildingIDs(model.livePlan).count
      state.message = Message(
        unknown == 0
          ? "No row has an unknown building ID"
          : "No organization without an external ID resembles the file's schools for the \(unknown) unknown building IDs; "
            + "o on a row picks one",
        tone: .muted)
      return
    }
    state.modal = .matchSchools(offers: offers)
  }

  func acceptSchoolMatches(_ offers: [OrganizationProposal]) {
    for offer in offers {
      decide(.setOrganizationExternalID(organizationID: offer.organization.id, externalID: offer.externalID))
    }
    state.message = Message(
      "\(offers.count) organizations get their building IDs (u undoes one at a time)", tone: .addition)
  }
}
