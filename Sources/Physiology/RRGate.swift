/// Accepts or rejects each RR interval as it arrives (PHYSIOLOGY.md, RR intervals).
///
/// Beats outside 250–2000 ms are rejected. A beat that differs from the median of the last
/// seven accepted beats by more than 5 % (HR above 95 bpm) or 25 % (HR below 80 bpm, with
/// hysteresis in between) is rejected: the rule FatMaxxer applies live. After
/// `resetAfterRejects` rejections in a row the reference restarts from the current beat (H),
/// so a real step change in rhythm is not rejected forever. O(1), no allocation.
public struct RRGate: Sendable, Equatable {
    /// Physiological bounds in ms.
    public static let acceptedRange: ClosedRange<Double> = 250...2000
    /// Consecutive rejections after which the reference restarts (H).
    public static let resetAfterRejects = 8

    private var recent: (Double, Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0, 0)
    private var recentCount = 0
    private var recentNext = 0
    private var strict = false
    private var rejectsInARow = 0

    /// Accepted and rejected beat counts.
    public private(set) var accepted = 0
    public private(set) var rejected = 0

    /// A gate with no reference yet.
    public init() {}

    /// Fraction of beats rejected so far.
    public var artifactFraction: Double {
        accepted + rejected > 0 ? Double(rejected) / Double(accepted + rejected) : 0
    }

    /// Judges one beat; returns true when it is accepted.
    public mutating func admit(_ rr: Double) -> Bool {
        guard Self.acceptedRange.contains(rr) else {
            rejected += 1
            return false
        }
        if recentCount >= 3 {
            let reference = median()
            let hr = 60_000 / reference
            if hr > 95 { strict = true } else if hr < 80 { strict = false }
            let tolerance = strict ? 0.05 : 0.25
            if abs(rr - reference) > tolerance * reference {
                rejected += 1
                rejectsInARow += 1
                if rejectsInARow >= Self.resetAfterRejects {
                    recentCount = 0
                    recentNext = 0
                    rejectsInARow = 0
                }
                return false
            }
        }
        rejectsInARow = 0
        accepted += 1
        withUnsafeMutableBytes(of: &recent) { raw in
            raw.storeBytes(of: rr, toByteOffset: recentNext * 8, as: Double.self)
        }
        recentNext = (recentNext + 1) % 7
        recentCount = min(recentCount + 1, 7)
        return true
    }

    private func median() -> Double {
        var v = recent
        let n = recentCount
        return withUnsafeMutableBytes(of: &v) { raw -> Double in
            let p = raw.bindMemory(to: Double.self)
            // insertion sort of at most 7 values
            for i in 1..<n {
                let key = p[i]
                var j = i - 1
                while j >= 0 && p[j] > key {
                    p[j + 1] = p[j]
                    j -= 1
                }
                p[j + 1] = key
            }
            return n % 2 == 1 ? p[n / 2] : (p[n / 2 - 1] + p[n / 2]) / 2
        }
    }

    public static func == (a: RRGate, b: RRGate) -> Bool {
        a.accepted == b.accepted && a.rejected == b.rejected && a.recentCount == b.recentCount
    }
}
