export const id = 742;
export const ids = [742];
export const modules = {

/***/ 3742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  followBuild: () => (/* binding */ followBuild)
});

// UNUSED EXPORTS: watchBuild

// EXTERNAL MODULE: ./src/diagnose.ts
var diagnose = __webpack_require__(51);
// EXTERNAL MODULE: ./src/duration.ts
var duration = __webpack_require__(7607);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/log.ts
var src_log = __webpack_require__(5625);
// EXTERNAL MODULE: ./src/safe-text.ts
var safe_text = __webpack_require__(1452);
;// CONCATENATED MODULE: ./src/failure-logs.ts


const MAX_STEPS = 3;
const MAX_LINES = 50;
/** Caps besides the line count: one line of a log can be megabytes. */
const MAX_LINE_CHARS = 2_000;
const MAX_TAIL_CHARS = 20_000;
const TIMEOUT_MS = 10_000;
const FAILED_STEP = new Set(['failure', 'error']);
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
    const failed = steps.filter((s) => FAILED_STEP.has(s.status ?? '')).sort((a, b) => a.number - b.number);
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
                (0,src_log/* printUntrusted */.Q)([`error: ${step.error}`], log);
            const text = await api.getStepLog(org, repo, build.number, step.number, {
                timeoutMs: TIMEOUT_MS,
                signal,
            });
            seen.lastLines = logTail(text, log);
            (0,src_log/* printUntrusted */.Q)(seen.lastLines, log);
        }
        catch (error) {
            log.info(`No log to show: ${(0,safe_text/* errorText */.kc)(error)}`);
        }
        finally {
            log.endGroup();
        }
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

// EXTERNAL MODULE: ./src/links.ts
var links = __webpack_require__(3346);
// EXTERNAL MODULE: ./src/vela/errors.ts
var vela_errors = __webpack_require__(2691);
// EXTERNAL MODULE: ./src/vela/retry.ts + 1 modules
var retry = __webpack_require__(595);
// EXTERNAL MODULE: ./src/vela/schemas.ts + 11 modules
var schemas = __webpack_require__(4975);
;// CONCATENATED MODULE: ./src/wait.ts









const SUCCESS = 'success';
const FAILED = new Set(['failure', 'error', 'canceled', 'killed']);
function isTerminal(status) {
    return status === SUCCESS || (status !== undefined && FAILED.has(status));
}
const KNOWN_WAITING = new Set(['pending', 'running', 'pending approval']);
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
            after: target.createdAt - SKEW_S,
            per_page: 100,
        }, { timeoutMs, signal: options.signal }));
        return matching(builds);
    };
    const report = (build) => {
        const status = build.status ?? 'unknown';
        if (status !== lastStatus) {
            log.info(`Build #${build.number}: ${status}${(0,safe_text/* isHttpUrl */.q$)(build.link) ? ` (${(0,safe_text/* safeInline */.H1)(build.link)})` : ''}`);
            lastStatus = status;
            lastNews = now();
        }
        else if (now() - lastNews >= HEARTBEAT_MS) {
            log.info(`Build #${build.number}: still ${status} after ${(0,duration/* formatDuration */.a)(now() - started)}`);
            lastNews = now();
        }
        if (status === 'pending approval' && !explained.has(status)) {
            log.info('The build needs approval by a repository admin in Vela; waiting for it');
            explained.add(status);
        }
        else if (!KNOWN_WAITING.has(status) && !isTerminal(status) && !explained.has(status)) {
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
                if (isTerminal(latest.status))
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
    // Servers before v0.23 tell no creation time; the deployment was created just before the wait.
    const createdAt = deployment.created_at ?? Math.floor(started / 1_000);
    const era = (0,schemas/* serverEra */.st)(deployment);
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
            onBuild: (build) => (record.build = build),
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
        const lastError = result.lastError ? ` Last error: ${result.lastError}.` : '';
        if (result.build)
            throw new errors/* WaitTimeoutError */.WL(`Timed out after ${waited}: ${standing()}.${lastError}`);
        const why = await (0,diagnose/* explainMissingBuild */.W)(api, org, repo, deployment, createdAt, settings.target, signal);
        throw new errors/* WaitTimeoutError */.WL(`Timed out after ${waited}: Vela created no build for deployment ${number}.${lastError} Likely reasons: ${why}`);
    }
    const { build } = result;
    if (build.status === SUCCESS) {
        log.info(`Build #${build.number} succeeded${linked()}`);
        return;
    }
    record.failedSteps = await showFailedSteps(api, org, repo, build, signal, log);
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
