export const id = 553;
export const ids = [553];
export const modules = {

/***/ 3553:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  followBuild: () => (/* binding */ followBuild)
});

// UNUSED EXPORTS: watchBuild

// EXTERNAL MODULE: ./src/deploy/diagnose.ts
var diagnose = __webpack_require__(6717);
// EXTERNAL MODULE: ./src/shared/duration.ts
var duration = __webpack_require__(8027);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(6520);
// EXTERNAL MODULE: ./src/runner/log.ts
var runner_log = __webpack_require__(382);
// EXTERNAL MODULE: ./src/shared/safe-text.ts
var safe_text = __webpack_require__(1984);
// EXTERNAL MODULE: ./src/vela/statuses.ts
var statuses = __webpack_require__(2456);
;// CONCATENATED MODULE: ./src/follow/failure-logs.ts



const MAX_STEPS = 3;
const MAX_LINES = 50;
/** Caps besides the line count: one line of a log can be megabytes. */
const MAX_LINE_CHARS = 2_000;
const MAX_TAIL_CHARS = 20_000;
const TIMEOUT_MS = 10_000;
/**
 * Prints the tail of each failed step's log in a collapsed group, and returns what it showed for the job
 * summary. Best effort: a build that failed is the message; not being able to show why only earns a warning.
 */
async function showFailedSteps(api, org, repo, build, signal, log) {
    let steps;
    try {
        steps = await api.listSteps(org, repo, build.number, { timeoutMs: TIMEOUT_MS, signal });
    }
    catch (error) {
        log.warning(`Could not list the steps of build #${build.number}: ${(0,safe_text/* errorText */.kc)(error)}`);
        return [];
    }
    const failed = steps.filter((s) => (0,statuses/* isFailed */.Ix)(s.status)).sort((a, b) => a.number - b.number);
    const shown = [];
    for (const step of failed.slice(0, MAX_STEPS)) {
        const seen = {
            name: step.name ?? `step ${step.number}`,
            status: step.status ?? '',
            exitCode: step.exit_code || undefined,
            lastLines: [],
        };
        shown.push(seen);
        const name = (0,safe_text/* safeInline */.H1)(seen.name, 'short');
        const exit = seen.exitCode ? `, exit code ${seen.exitCode}` : '';
        log.startGroup(`Step "${name}" ended in ${(0,safe_text/* safeInline */.H1)(step.status ?? '', 'word')}${exit}: last lines of its log`);
        try {
            if (step.error)
                (0,runner_log/* printUntrusted */.Q)([`error: ${step.error}`], log);
            const text = await api.getStepLog(org, repo, build.number, step.number, {
                timeoutMs: TIMEOUT_MS,
                signal,
            });
            seen.lastLines = logTail(text, log);
            (0,runner_log/* printUntrusted */.Q)(seen.lastLines, log);
        }
        catch (error) {
            log.info(`No log to show: ${(0,safe_text/* errorText */.kc)(error)}`);
        }
        finally {
            log.endGroup();
        }
        // Visible without opening the group.
        const why = step.error || seen.lastLines.filter((line) => line.trim() !== '').at(-1);
        if (why)
            log.info(`Step "${name}" ended in ${(0,safe_text/* safeInline */.H1)(step.status ?? '', 'word')}${exit}: ${(0,safe_text/* safeInline */.H1)(why)}`);
    }
    if (failed.length > MAX_STEPS)
        log.info(`${failed.length - MAX_STEPS} more failed steps are not shown`);
    return shown;
}
/** The last lines of a log, each cut to MAX_LINE_CHARS, and together at most MAX_TAIL_CHARS. */
function logTail(text, log) {
    const lines = text.replace(/\n$/, '').split('\n');
    const tail = [];
    let size = 0;
    for (const line of lines.slice(-MAX_LINES).reverse()) {
        const cut = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… (line cut)` : line;
        if (size + cut.length > MAX_TAIL_CHARS)
            break;
        size += cut.length;
        tail.unshift(cut);
    }
    if (lines.length > tail.length)
        log.info(`(${lines.length - tail.length} earlier lines not shown)`);
    return tail;
}

// EXTERNAL MODULE: ./src/run/links.ts
var links = __webpack_require__(8238);
// EXTERNAL MODULE: ./src/vela/errors.ts
var vela_errors = __webpack_require__(1857);
// EXTERNAL MODULE: ./src/vela/retry.ts + 1 modules
var retry = __webpack_require__(5092);
;// CONCATENATED MODULE: ./src/follow/step-progress.ts






/** Caps on what `logs: all` prints: one log line can be megabytes, and a build can log gigabytes. */
const STEP_LOG_CAPS = {
    stepBytes: 64 * 1024,
    stepLines: 1_000,
    buildBytes: 1024 * 1024,
    buildLines: 10_000,
};
const stepName = (step) => (0,safe_text/* quote */.hD)(step.name || `step ${step.number}`, 'short');
/** ` in 1m5s` for a step or build that ran (Vela keeps whole Unix seconds, 0 until set), else ''. */
function ranFor({ started, finished }) {
    if (!started || !finished || finished < started)
        return '';
    return finished === started ? ' in under 1s' : ` in ${(0,duration/* formatDuration */.a)((finished - started) * 1_000)}`;
}
const stepStarted = (step) => (0,statuses/* hasStarted */.gd)(step.status);
const stepFinished = (step) => (0,statuses/* isFinal */.dR)(step.status);
/** Which step this is: Vela's numbers are not always unique within a build, a number with its stage and name is. */
const stepKey = (step) => JSON.stringify([step.number, step.stage ?? '', step.name ?? '']);
/**
 * Reports each step (and stage) of a build once when it starts and once when it finishes, and with
 * `logs: all` prints each finished step's log once, in a collapsed group. Vela's log endpoint answers the
 * whole log every time, so a log is read only when its step has finished. Best effort: trouble listing
 * steps or reading a log is said, never fails the wait.
 */
class StepProgress {
    api;
    org;
    repo;
    options;
    log;
    started = new Set();
    finished = new Set();
    stagesStarted = new Set();
    stagesFinished = new Set();
    failed = [];
    bytesShown = 0;
    linesShown = 0;
    listFailureSaid = false;
    listFailure;
    constructor(api, org, repo, options, log) {
        this.api = api;
        this.org = org;
        this.repo = repo;
        this.options = options;
        this.log = log;
    }
    /**
     * Why the latest listing of the steps failed, when it failed for a passing reason (a timeout, a hung token
     * renewal, a 5xx): a wait that then times out names it, as it names its own last failed read.
     */
    get lastListFailure() {
        return this.listFailure;
    }
    /** Failed steps seen so far, with the log lines shown for them (for the job summary). */
    get failedSteps() {
        return this.failed;
    }
    /** Reads the build's steps and reports what changed since the last read. */
    async update(build) {
        const timeoutMs = this.options.timeoutMs();
        // No step runs before the build does; and no read goes past the wait's deadline.
        if (!build.status || (0,statuses/* isPending */.mm)(build.status) || timeoutMs <= 0)
            return;
        let steps;
        try {
            steps = await this.api.listSteps(this.org, this.repo, build.number, {
                timeoutMs,
                signal: this.options.signal,
            });
        }
        catch (error) {
            if (error instanceof vela_errors/* CancelledError */.cc)
                throw error;
            if (!this.listFailureSaid)
                this.log.info(`Could not list the steps of build #${build.number}: ${(0,safe_text/* errorText */.kc)(error)}`);
            this.listFailureSaid = true;
            this.listFailure = (0,retry/* isTransient */.dg)(error) ? error.message : undefined;
            return;
        }
        this.listFailure = undefined;
        const ordered = [...steps].sort((a, b) => a.number - b.number);
        for (const step of ordered) {
            const stage = step.stage ?? '';
            if (stage && stepStarted(step) && !this.stagesStarted.has(stage)) {
                this.stagesStarted.add(stage);
                this.log.info(`Stage ${(0,safe_text/* quote */.hD)(stage, 'short')} started`);
            }
            const key = stepKey(step);
            if (stepStarted(step) && !this.started.has(key)) {
                this.started.add(key);
                // A step that started and finished between two reads is reported once, finished.
                if (!stepFinished(step))
                    this.log.info(`Step ${stepName(step)} started`);
            }
            if (stepFinished(step) && !this.finished.has(key)) {
                this.finished.add(key);
                await this.finish(build, step);
            }
            if (stage && this.stagesStarted.has(stage) && !this.stagesFinished.has(stage)) {
                const inStage = ordered.filter((s) => s.stage === stage);
                // Once each of its steps has been reported finished, so the stage's end follows its last step's.
                if (inStage.every((s) => this.finished.has(stepKey(s)))) {
                    this.stagesFinished.add(stage);
                    const end = (0,statuses/* groupEnd */.Jq)(inStage.map((s) => s.status));
                    this.log.info(`Stage ${(0,safe_text/* quote */.hD)(stage, 'short')} finished: ${end}`);
                }
            }
        }
    }
    async finish(build, step) {
        const status = (0,safe_text/* safeInline */.H1)(step.status ?? 'unknown', 'word');
        const exit = step.exit_code ? `, exit code ${step.exit_code}` : '';
        const isFailure = (0,statuses/* isFailed */.Ix)(step.status);
        const seen = isFailure
            ? {
                name: step.name || `step ${step.number}`,
                status: step.status ?? '',
                exitCode: step.exit_code || undefined,
                lastLines: [],
            }
            : undefined;
        if (seen)
            this.failed.push(seen);
        if (this.options.mode !== 'all') {
            this.log.info(`Step ${stepName(step)} finished: ${status}${ranFor(step)}${exit}`);
            return;
        }
        this.log.startGroup(`Step ${stepName(step)}: ${status}${ranFor(step)}${exit}`);
        let lastLine;
        try {
            if (step.error)
                (0,runner_log/* printUntrusted */.Q)([`error: ${step.error}`], this.log);
            const timeoutMs = this.options.timeoutMs();
            if (timeoutMs <= 0)
                throw new Error('the wait-timeout has passed');
            const text = await this.api.getStepLog(this.org, this.repo, build.number, step.number, {
                timeoutMs,
                signal: this.options.signal,
            });
            const lines = this.capped(text);
            (0,runner_log/* printUntrusted */.Q)(lines, this.log);
            if (seen)
                seen.lastLines = lines.slice(-50);
            lastLine = lines.filter((l) => l.trim() !== '').at(-1);
        }
        catch (error) {
            if (error instanceof vela_errors/* CancelledError */.cc)
                throw error;
            this.log.info(`No log to show: ${(0,safe_text/* errorText */.kc)(error)}`);
        }
        finally {
            this.log.endGroup();
        }
        // Visible without opening the group.
        if (isFailure) {
            const why = step.error || lastLine;
            this.log.info(`Step ${stepName(step)} ended in ${status}${exit}${why ? `: ${(0,safe_text/* safeInline */.H1)(why)}` : ''}`);
        }
    }
    /** The log's lines within the per-step and per-build caps, with a line saying what was cut. */
    capped(text) {
        const lines = text.replace(/\n$/, '').split('\n');
        const lineRoom = Math.min(STEP_LOG_CAPS.stepLines, STEP_LOG_CAPS.buildLines - this.linesShown);
        const byteRoom = Math.min(STEP_LOG_CAPS.stepBytes, STEP_LOG_CAPS.buildBytes - this.bytesShown);
        const kept = [];
        let bytes = 0;
        for (const line of lines) {
            const size = Buffer.byteLength(line, 'utf8') + 1;
            if (kept.length >= lineRoom || bytes + size > byteRoom)
                break;
            kept.push(line);
            bytes += size;
        }
        this.linesShown += kept.length;
        this.bytesShown += bytes;
        const cut = lines.length - kept.length;
        if (cut > 0) {
            const buildCap = lineRoom < STEP_LOG_CAPS.stepLines || byteRoom < STEP_LOG_CAPS.stepBytes;
            const which = buildCap
                ? `the build's cap of ${STEP_LOG_CAPS.buildLines} lines and ${STEP_LOG_CAPS.buildBytes / 1024} KiB of logs`
                : `the step's cap of ${STEP_LOG_CAPS.stepLines} lines and ${STEP_LOG_CAPS.stepBytes / 1024} KiB`;
            kept.push(`… ${cut} more lines not shown (${which}); the full log is in Vela`);
        }
        return kept;
    }
}

// EXTERNAL MODULE: ./src/vela/schemas.ts + 11 modules
var schemas = __webpack_require__(8558);
;// CONCATENATED MODULE: ./src/follow/wait.ts











/** How often to say we are still waiting when nothing changes. */
const HEARTBEAT_MS = 5 * 60_000;
/**
 * Attempts at a read that Vela answers 401 after reads with the same unexpired token succeeded: Vela asks
 * GitHub for the user's permission on every read of a private repository, and answers 401 when GitHub fails.
 */
const UNAUTHORIZED_ATTEMPTS = 5;
/** Attempts at a read whose answer is not what Vela's API returns (an HTML page from a proxy, say). */
const SURPRISE_ATTEMPTS = 3;
/** How long GET /version may take before the wait goes on without naming the server's release. */
const VERSION_TIMEOUT_MS = 5_000;
/** How long before the deployment's creation its build may seem created (clock skew). */
const SKEW_S = 60;
// A web page where JSON belongs means "not the Vela API" on first contact; once reads have succeeded, it is
// something in front of Vela (a single-sign-on page, a gateway) answering in its place for a while.
const isSurprise = (error) => error instanceof vela_errors/* NotVelaApiError */.OX ||
    (error instanceof vela_errors/* BadResponseError */.nS && (error.reason === 'malformed' || error.reason === 'unexpected-shape'));
const isUnauthorized = (error) => error instanceof vela_errors/* VelaHttpError */.tX && error.status === 401;
class DeadlinePassed extends Error {
}
/**
 * Finds the build Vela creates for the deployment (by `deploy_number`, never by time or "newest"), then
 * follows it to a terminal status, one request per poll interval.
 */
async function watchBuild(target, options, deps) {
    const { api, clock, log } = deps;
    const now = () => clock.now();
    const { org, repo } = target;
    const started = now();
    let build;
    let lastStatus;
    let lastNews = started;
    const explained = new Set();
    let readSucceeded = false;
    // Consecutive failures of a kind that is retried only a few times.
    let refusals = 0;
    let surprises = 0;
    const tokenUnexpired = () => (deps.tokenExpiresAt()?.getTime() ?? Number.POSITIVE_INFINITY) > now();
    const retryable = (error) => {
        if (isSurprise(error))
            return ++surprises < SURPRISE_ATTEMPTS;
        if (isUnauthorized(error)) {
            return readSucceeded && tokenUnexpired() && ++refusals < UNAUTHORIZED_ATTEMPTS;
        }
        return (0,retry/* isTransient */.dg)(error);
    };
    /** One read, retried through transient trouble until the deadline; bounded by the deadline too. */
    const read = async (call) => {
        const result = await (0,retry/* retrying */.R$)(() => {
            const left = options.deadline - now();
            if (left <= 0)
                throw new DeadlinePassed();
            return call(Math.min(options.requestTimeoutMs, left));
        }, {
            attempts: Number.POSITIVE_INFINITY,
            retryable,
            deadline: options.deadline,
            signal: options.signal,
            clock,
            onRetry: (error, delayMs) => {
                log.info(`Vela read failed (${(0,safe_text/* errorText */.kc)(error)}); retrying in ${Math.ceil(delayMs / 1000)}s`);
            },
        });
        readSucceeded = true;
        refusals = 0;
        surprises = 0;
        return result;
    };
    // Builds carry deploy_number since v0.23; before, only `source`, the deployment's API URL, names it.
    const ours = (build) => build.deploy_number !== undefined
        ? build.deploy_number === target.number
        : target.url !== undefined && build.source === target.url;
    const matching = (builds) => (builds ?? []).filter(ours).sort((a, b) => b.number - a.number)[0];
    const findBuild = async () => {
        if (target.era === 'v0.26+') {
            const deployment = await read((timeoutMs) => api.getDeployment(org, repo, target.number, { timeoutMs, signal: options.signal }));
            const linked = matching(deployment.builds);
            if (linked)
                return linked;
        }
        // Older servers, or linking that lags: list the deployment builds of the commit and match ours.
        const builds = await read((timeoutMs) => api.listBuilds(org, repo, {
            event: 'deployment',
            commit: target.commit,
            after: target.createdAt === undefined ? undefined : target.createdAt - SKEW_S,
            per_page: 100,
        }, { timeoutMs, signal: options.signal }));
        return matching(builds);
    };
    const report = (build) => {
        const status = build.status ?? 'unknown';
        if (status !== lastStatus) {
            log.info(`Build #${build.number}: ${status}`);
            lastStatus = status;
            lastNews = now();
        }
        else if (now() - lastNews >= HEARTBEAT_MS) {
            log.info(`Build #${build.number}: still ${status} after ${(0,duration/* formatDuration */.a)(now() - started)}`);
            lastNews = now();
        }
        if (status === statuses/* Status */.nW.pendingApproval && !explained.has(status)) {
            log.info('The build needs approval by a repository admin in Vela; waiting for it');
            explained.add(status);
        }
        else if (!(0,statuses/* isWaiting */.Gu)(status) && !(0,statuses/* isFinal */.dR)(status) && !explained.has(status)) {
            log.warning(`Build #${build.number} has status ${(0,safe_text/* quote */.hD)(status, 'word')}, which this action does not know; waiting for success, failure, error, canceled or killed`);
            explained.add(status);
        }
    };
    log.info(`Waiting up to ${(0,duration/* formatDuration */.a)(options.deadline - started)} for the build of deployment ${target.number}`);
    for (;;) {
        const pollStart = now();
        if (pollStart >= options.deadline)
            return { kind: 'timed-out', build };
        try {
            const known = build;
            const latest = known
                ? await read((timeoutMs) => api.getBuild(org, repo, known.number, { timeoutMs, signal: options.signal }))
                : await findBuild();
            if (latest) {
                build = latest;
                deps.onBuild(latest);
                report(latest);
                await deps.onPoll?.(latest);
                if ((0,statuses/* isFinal */.dR)(latest.status))
                    return { kind: 'finished', build: latest };
            }
            else if (now() - lastNews >= HEARTBEAT_MS) {
                log.info(`Vela has not created a build for deployment ${target.number} yet (${(0,duration/* formatDuration */.a)(now() - started)})`);
                lastNews = now();
            }
        }
        catch (error) {
            if (error instanceof DeadlinePassed)
                return { kind: 'timed-out', build };
            if (isSurprise(error) && surprises >= SURPRISE_ATTEMPTS) {
                throw new errors/* UnexpectedAnswerError */.qx(`Vela's answer was not what its API returns, ${surprises} times in a row: ${error instanceof vela_errors/* NotVelaApiError */.OX ? `${error.method} ${error.path} answered ${error.status} with a web page (${error.bodySummary})` : error.message}. Something in front of Vela (a single-sign-on page or a gateway) may be answering in its place; check the server input`, { cause: error });
            }
            if (isUnauthorized(error) && refusals >= UNAUTHORIZED_ATTEMPTS) {
                throw new errors/* AccessLostError */.zD(`Vela refused to read ${org}/${repo} (401: ${error.said}) ${refusals} times in a row while waiting, although earlier reads with the same unexpired token succeeded. Either GitHub failed behind Vela's permission check (Vela asks GitHub on every read of a private repository and answers 401 when GitHub fails), or access was really lost (the token revoked, or the user's access to the repository removed)`, { cause: error });
            }
            // Reads give up on transient trouble only when the next try would start past the deadline.
            if ((0,retry/* isTransient */.dg)(error)) {
                return { kind: 'timed-out', build, lastError: error.message };
            }
            throw error;
        }
        const wake = Math.min(pollStart + options.pollIntervalMs, options.deadline);
        await clock.sleep(Math.max(0, wake - now()), options.signal);
    }
}
/**
 * Follows the deployment's build to its end and records it; fails the way the user should read it: the build
 * failed (with its failed steps' logs), the wait timed out (with why no build came), or the job was cancelled.
 */
async function followBuild(api, record, deployment, signal, runtime) {
    const { settings } = record;
    const { org, repo } = settings;
    const { clock, log } = runtime;
    const number = (0,schemas/* deploymentNumber */.Rr)(deployment);
    const link = () => (record.build ? (0,links/* buildPage */.Ko)(record.build, settings) : undefined);
    const linked = () => {
        const url = link();
        return url ? `: ${(0,safe_text/* safeInline */.H1)(url)}` : '';
    };
    const standing = () => {
        if (!record.build)
            return 'Vela had not created the build yet';
        const url = link();
        return `build #${record.build.number} was ${(0,safe_text/* safeInline */.H1)(record.build.status ?? 'unknown', 'word')}${url ? ` (${(0,safe_text/* safeInline */.H1)(url)})` : ''}`;
    };
    const started = clock.now();
    // Servers before v0.23 tell no creation time. A deployment this run created was created just now; one it
    // follows (the `deployment` input) may be of any age, so its builds are listed without a lower bound.
    const createdAt = deployment.created_at ?? (settings.deployment === undefined ? Math.floor(started / 1_000) : undefined);
    const era = (0,schemas/* serverEra */.st)(deployment);
    const progress = new StepProgress(api, org, repo, {
        mode: settings.logs,
        timeoutMs: () => Math.min(settings.requestTimeoutMs, started + settings.waitTimeoutMs - clock.now()),
        signal,
    }, log);
    let result;
    try {
        await readServerVersion(api, record, era, signal, log);
        result = await watchBuild({ org, repo, number, url: deployment.url, commit: deployment.commit, createdAt, era }, {
            pollIntervalMs: settings.pollIntervalMs,
            deadline: started + settings.waitTimeoutMs,
            requestTimeoutMs: settings.requestTimeoutMs,
            signal,
        }, {
            api,
            clock,
            log,
            tokenExpiresAt: () => api.auth.expiresAt(),
            onBuild: (build) => {
                // The link once, as soon as the build is known; status lines then stay short.
                const page = record.build ? undefined : (0,links/* buildPage */.Ko)(build, settings);
                if (page)
                    log.info(`Build #${build.number}: ${(0,safe_text/* safeInline */.H1)(page)}`);
                record.build = build;
            },
            onPoll: (build) => progress.update(build),
        });
    }
    catch (error) {
        if (error instanceof vela_errors/* CancelledError */.cc) {
            throw new vela_errors/* CancelledError */.cc(`Cancelled while waiting: ${standing()}`, { cause: error });
        }
        throw error;
    }
    if (result.kind === 'timed-out') {
        const waited = (0,duration/* formatDuration */.a)(settings.waitTimeoutMs);
        const last = result.lastError ?? progress.lastListFailure;
        const lastError = last ? ` Last error: ${last}.` : '';
        if (result.build)
            throw new errors/* WaitTimeoutError */.WL(`Timed out after ${waited}: ${standing()}.${lastError}`);
        const why = await (0,diagnose/* explainMissingBuild */.W)(api, org, repo, deployment, createdAt ?? 0, settings.target, signal);
        throw new errors/* WaitTimeoutError */.WL(`Timed out after ${waited}: Vela created no build for deployment ${number}.${lastError} Likely reasons: ${why}`);
    }
    const { build } = result;
    const took = ranFor(build);
    if (build.status === statuses/* Status */.nW.success) {
        log.info(`Build #${build.number} succeeded${took}`);
        return;
    }
    log.info(`Build #${build.number} ended with status ${(0,safe_text/* safeInline */.H1)(build.status ?? 'unknown', 'word')}${took}`);
    // With `logs: all` the failed steps' logs were shown as they finished; each log is read once.
    record.failedSteps =
        settings.logs === 'failed'
            ? await showFailedSteps(api, org, repo, build, signal, log)
            : progress.failedSteps;
    const error = build.error ? ` (${(0,safe_text/* safeInline */.H1)(build.error)})` : '';
    throw new errors/* BuildFailedError */.Wu(`Build #${build.number} ended with status ${(0,safe_text/* safeInline */.H1)(build.status ?? 'unknown', 'word')}${error}${linked()}`);
}
/**
 * Names the server's release for the debug log and the job summary. The wait follows what Vela's answers
 * show, not this: a server built without a release tag names itself v0.0.0.
 */
async function readServerVersion(api, record, era, signal, log) {
    try {
        record.serverVersion = await api.getVersion({ timeoutMs: VERSION_TIMEOUT_MS, signal });
        log.debug(`Vela names its release ${(0,safe_text/* safeInline */.H1)(record.serverVersion, 'word')} (GET /version); its answers show ${(0,schemas/* describeEra */.CJ)(era)}`);
    }
    catch (error) {
        if (error instanceof vela_errors/* CancelledError */.cc)
            throw error;
        log.debug(`GET /version failed (${(0,safe_text/* errorText */.kc)(error)}); Vela's answers show ${(0,schemas/* describeEra */.CJ)(era)}`);
    }
}


/***/ })

};
