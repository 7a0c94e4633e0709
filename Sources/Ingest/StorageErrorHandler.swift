/// Told of each storage failure as it happens: `cause` names the file or directory and what
/// failed (stable across repeats, so a reporter can say it once with a count), `message` is the
/// whole error. The sinks that write files call it and carry on: a failed write never stops the
/// pipeline.
public typealias StorageErrorHandler = (_ cause: String, _ message: String) -> Void
