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
 * Prints the tail of each failed step's log in a collapsed group. Best effort: a build that failed
 * is the message; not being able to show why only earns a warning.
 */
async function showFailedSteps(api, org, repo, build, signal, log) {
    let steps;
    try {
        steps = await api.listSteps(org, repo, build.number, { timeoutMs: TIMEOUT_MS, signal });
    }
    catch (error) {
        log.warning(`Could not list the steps of build #${build.number}: ${(0,safe_text/* errorText */.kc)(error)}`);
        return;
    }
    const failed = steps.filter((s) => FAILED_STEP.has(s.status ?? '')).sort((a, b) => a.number - b.number);
    for (const step of failed.slice(0, MAX_STEPS)) {
        const name = (0,safe_text/* safeInline */.H1)(step.name ?? `step ${step.number}`, 'short');
        const exit = step.exit_code ? `, exit code ${step.exit_code}` : '';
        log.startGroup(`Step "${name}" ended in ${(0,safe_text/* safeInline */.H1)(step.status ?? '', 'word')}${exit}: last lines of its log`);
        try {
            if (step.error)
                (0,src_log/* printUntrusted */.Q)([`error: ${step.error}`], log);
            const text = await api.getStepLog(org, repo, build.number, step.number, {
                timeoutMs: TIMEOUT_MS,
                signal,
            });
            (0,src_log/* printUntrusted */.Q)(logTail(text, log), log);
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
    /** One read, retried through transient trouble until the deadline; bounded by the deadline too. */
    const read = (call) => (0,retry/* retrying */.R$)(() => {
        const left = options.deadline - now();
        if (left <= 0)
            throw new DeadlinePassed();
        return call(Math.min(options.requestTimeoutMs, left));
    }, {
        attempts: Number.POSITIVE_INFINITY,
        retryable: (error) => (0,retry/* isTransient */.dg)(error),
        deadline: options.deadline,
        signal: options.signal,
        clock,
        onRetry: (error, delayMs) => {
            log.info(`Vela read failed (${(0,safe_text/* errorText */.kc)(error)}); retrying in ${Math.ceil(delayMs / 1000)}s`);
        },
    });
    const matching = (builds) => (builds ?? []).filter((b) => b.deploy_number === target.number).sort((a, b) => b.number - a.number)[0];
    const findBuild = async () => {
        if (target.serverLinksBuilds) {
            const deployment = await read((timeoutMs) => api.getDeployment(org, repo, target.number, { timeoutMs, signal: options.signal }));
            const linked = matching(deployment.builds);
            if (linked)
                return linked;
        }
        // Older servers, or linking that lags: list the deployment builds of the commit and match deploy_number.
        const builds = await read((timeoutMs) => api.listBuilds(org, repo, {
            event: 'deployment',
            commit: target.commit,
            after: target.createdAt === undefined ? undefined : target.createdAt - 60,
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
    const link = () => (record.build ? (0,links/* buildPage */.K)(record.build, settings) : undefined);
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
    let result;
    try {
        result = await watchBuild({
            org,
            repo,
            number,
            commit: deployment.commit,
            createdAt: deployment.created_at,
            serverLinksBuilds: deployment.number !== undefined,
        }, {
            pollIntervalMs: settings.pollIntervalMs,
            deadline: clock.now() + settings.waitTimeoutMs,
            requestTimeoutMs: settings.requestTimeoutMs,
            signal,
        }, { api, clock, log, onBuild: (build) => (record.build = build) });
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
        const why = await (0,diagnose/* explainMissingBuild */.W)(api, org, repo, deployment, settings.target, signal);
        throw new errors/* WaitTimeoutError */.WL(`Timed out after ${waited}: Vela created no build for deployment ${number}.${lastError} Likely reasons: ${why}`);
    }
    const { build } = result;
    if (build.status === SUCCESS) {
        log.info(`Build #${build.number} succeeded${linked()}`);
        return;
    }
    await showFailedSteps(api, org, repo, build, signal, log);
    const error = build.error ? ` (${(0,safe_text/* safeInline */.H1)(build.error)})` : '';
    throw new errors/* BuildFailedError */.Wu(`Build #${build.number} ended with status ${(0,safe_text/* safeInline */.H1)(build.status ?? 'unknown', 'word')}${error}${linked()}`);
}


/***/ })

};
