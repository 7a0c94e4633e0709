/// How starting a Polar strap's ECG stream went (either backend).
public enum PolarECGStart: Equatable, Sendable {
    /// The start request was written; the control point's answer follows.
    case requested
    /// The strap answered the start request with success: frames follow.
    case started
    /// The strap has no PMD service (not a Polar strap, or one without ECG).
    case notOffered
    /// Not started, and why (a refused write, a missing descriptor, a PMD status).
    case unavailable(String)

    /// The outcome a control-point answer reports, nil when `response` is not the answer to a
    /// start request (the control point also answers other requests).
    public init?(controlPointResponse response: [UInt8]) {
        guard response.count >= 2, response[0] == 0xF0, response[1] == PolarPMDFrame.startECG[0] else { return nil }
        self = PolarPMDFrame.controlPointProblem(response).map { .unavailable("the strap refused ECG: \($0)") } ?? .started
    }
}
