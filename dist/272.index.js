export const id = 272;
export const ids = [272,766];
export const modules = {

/***/ 5272:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cancelAbandonedBuild: () => (/* binding */ cancelAbandonedBuild)
/* harmony export */ });
/* unused harmony exports BUILD_LOOK_TIMEOUT_MS, BUILD_CANCEL_TIMEOUT_MS */
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6520);
/* harmony import */ var _shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1984);
/* harmony import */ var _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1857);
/* harmony import */ var _vela_schemas_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8558);
/* harmony import */ var _vela_statuses_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2456);
/* harmony import */ var _follow_build_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4108);
/* harmony import */ var _follow_deployment_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3766);







// After the job's cancel the runner kills the process 10 s after its first signal, and the run reports what it
// knows at 8.5 s (src/runner/signals.ts). A last look and the cancel together take at most 7.5 s, so their
// answers come well before.
/** How long the last look for a build not seen while following may take, its requests together. */
const BUILD_LOOK_TIMEOUT_MS = 2_500;
/** How long the cancel request may take. */
const BUILD_CANCEL_TIMEOUT_MS = 5_000;
/**
 * For `cancel-build-on-abort`: when following stopped because the job was cancelled or `wait-timeout` passed,
 * cancels the build in Vela (only a pending or running build can be) and returns the error the run fails
 * with, now saying whether the build was cancelled or why not. A build not seen while following is looked
 * for once more first: it may have started since the last poll. Any other error is returned as it is.
 */
async function cancelAbandonedBuild(api, record, error, runtime) {
    if (!(error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc) && !(error instanceof _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .WaitTimeoutError */ .WL))
        return error;
    const outcome = await cancelBuild(api, record, runtime);
    if (record.build?.status === _vela_statuses_js__WEBPACK_IMPORTED_MODULE_4__/* .Status */ .nW.canceled)
        runtime.log.info(outcome);
    else
        runtime.log.warning(outcome);
    const message = `${error.message.replace(/\.$/, '')}. ${outcome}`;
    return error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc
        ? new _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc(message, { cause: error })
        : new _shared_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .WaitTimeoutError */ .WL(message, { cause: error });
}
/** Sends the cancel and says what came of it, in one sentence; records the build as Vela left it. */
async function cancelBuild(api, record, runtime) {
    let found = '';
    if (!record.build) {
        const look = await lookOnceMore(api, record, runtime);
        if (typeof look === 'string')
            return look;
        record.build = look;
        found = ', found on a last look,';
    }
    const { build, settings } = record;
    try {
        const answer = await api.cancelBuild(settings.org, settings.repo, build.number, {
            timeoutMs: BUILD_CANCEL_TIMEOUT_MS,
        });
        return cancelAnswered(record, build, answer, found);
    }
    catch (error) {
        return cancelFailed(record, build, error);
    }
}
/**
 * Looks once more for the deployment's build, within BUILD_LOOK_TIMEOUT_MS; returns it, or says that none was
 * seen. Not seeing one is no proof that there is none: Vela may start it later.
 */
async function lookOnceMore(api, record, { clock }) {
    const { deployment } = record;
    if (!deployment)
        return 'No build was cancelled: no deployment was created';
    const number = (0,_vela_schemas_js__WEBPACK_IMPORTED_MODULE_3__/* .deploymentNumber */ .Rr)(deployment);
    const deadline = clock.now() + BUILD_LOOK_TIMEOUT_MS;
    try {
        const build = await (0,_follow_build_js__WEBPACK_IMPORTED_MODULE_5__/* .findBuild */ .w)(api, (0,_follow_deployment_js__WEBPACK_IMPORTED_MODULE_6__/* .followTarget */ .T)(record, deployment, undefined), (call) => call(Math.max(1, deadline - clock.now())));
        if (build)
            return build;
        return `No build was cancelled: none of deployment ${number} was seen, even on a last look; Vela may still start one`;
    }
    catch (error) {
        return `No build was cancelled: none of deployment ${number} was seen, and a last look failed (${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .errorText */ .kc)(error)}); Vela may have started one or start one later: check the deployment's builds in Vela`;
    }
}
function cancelAnswered(record, meant, answer, found) {
    // The answer must be the build the cancel was for; another build's state would be recorded as this one's.
    if (answer.number !== meant.number) {
        return `Vela answered the cancel of build #${meant.number} with build #${answer.number}, so whether build #${meant.number} was cancelled is not confirmed: check it in Vela`;
    }
    record.build = answer;
    if (answer.status === _vela_statuses_js__WEBPACK_IMPORTED_MODULE_4__/* .Status */ .nW.canceled)
        return `Build #${meant.number}${found} was cancelled in Vela`;
    return `Vela answered the cancel of build #${meant.number}${found} with its status ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeInline */ .H1)(answer.status ?? 'unknown', 'word')}`;
}
function cancelFailed(record, build, error) {
    const { org, repo } = record.settings;
    if (error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .VelaHttpError */ .tX && error.status === 400) {
        // Vela cancels only a pending or running build, and says which status it found.
        return `Vela did not cancel build #${build.number} (400: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeInline */ .H1)(error.said)})`;
    }
    if (error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .VelaHttpError */ .tX && error.status === 401) {
        return `Vela refused to cancel build #${build.number} (401: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .safeInline */ .H1)(error.said)}): cancelling needs write access to ${org}/${repo}`;
    }
    if (error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .NetworkError */ .Dr && !error.requestNotSent) {
        return `The cancel of build #${build.number} was sent, not confirmed: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .errorText */ .kc)(error)}. Check the build in Vela`;
    }
    return `Could not cancel build #${build.number} in Vela: ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .errorText */ .kc)(error)}`;
}


/***/ }),

/***/ 4108:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  w: () => (/* binding */ findBuild),
  c: () => (/* binding */ followBuild)
});

// EXTERNAL MODULE: ./src/shared/duration.ts
var duration = __webpack_require__(8027);
// EXTERNAL MODULE: ./src/shared/safe-text.ts
var safe_text = __webpack_require__(1984);
// EXTERNAL MODULE: ./src/vela/retry.ts + 1 modules
var retry = __webpack_require__(5092);
// EXTERNAL MODULE: ./src/vela/statuses.ts
var statuses = __webpack_require__(2456);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(6520);
// EXTERNAL MODULE: ./src/vela/errors.ts
var vela_errors = __webpack_require__(1857);
;// CONCATENATED MODULE: ./src/follow/read-budget.ts



/**
 * Attempts at a read that Vela answers 401 after reads with the same unexpired token succeeded: Vela asks
 * GitHub for the user's permission on every read of a private repository, and answers 401 when GitHub fails.
 */
const UNAUTHORIZED_ATTEMPTS = 5;
/** Attempts at a read whose answer is not what Vela's API returns (an HTML page from a proxy, say). */
const SURPRISE_ATTEMPTS = 3;
// A web page where JSON belongs means "not the Vela API" on first contact; once reads have succeeded, it is
// something in front of Vela (a single-sign-on page, a gateway) answering in its place for a while.
const isSurprise = (error) => error instanceof vela_errors/* NotVelaApiError */.OX ||
    (error instanceof vela_errors/* BadResponseError */.nS && (error.reason === 'malformed' || error.reason === 'unexpected-shape'));
const isUnauthorized = (error) => error instanceof vela_errors/* VelaHttpError */.tX && error.status === 401;
/**
 * The retries a read may still spend while following a build. Two kinds of failure get a few attempts in a
 * row (answers that are not Vela's, and 401s after the token was accepted); other failures are retried while
 * transient, until the deadline. Each failure and success is told explicitly; the budget then says whether
 * to try again and, when not, why.
 */
class ReadBudget {
    repository;
    tokenUnexpired;
    surprises = 0;
    refusals = 0;
    anyReadSucceeded = false;
    stop;
    constructor(repository, 
    /** Whether the Vela token in use is still unexpired: a 401 after it expires is no hiccup. */
    tokenUnexpired) {
        this.repository = repository;
        this.tokenUnexpired = tokenUnexpired;
    }
    /** A read was answered: failures in a row start again from none. */
    succeeded() {
        this.anyReadSucceeded = true;
        this.surprises = 0;
        this.refusals = 0;
        this.stop = undefined;
    }
    /** A read failed: counts the failure against its kind's attempts, and decides whether retrying stops. */
    failed(error) {
        if (isSurprise(error)) {
            this.surprises++;
            this.stop = this.surprises >= SURPRISE_ATTEMPTS ? { kind: 'surprises', error } : undefined;
        }
        else if (isUnauthorized(error) && this.anyReadSucceeded && this.tokenUnexpired()) {
            this.refusals++;
            this.stop = this.refusals >= UNAUTHORIZED_ATTEMPTS ? { kind: 'refusals', error } : undefined;
        }
        else {
            this.stop = (0,retry/* isTransient */.dg)(error) ? undefined : { kind: 'not-retried' };
        }
    }
    /** Whether the read that just failed may be tried again (the deadline permitting). */
    mayRetry() {
        return this.stop === undefined;
    }
    /**
     * When the attempts of a kind ran out, the error to fail with: it says how many failures in a row, and what
     * they may mean. Undefined when retrying went on, or stopped for the failure itself or the deadline.
     */
    ranOut() {
        const stop = this.stop;
        if (stop?.kind === 'surprises') {
            const { error } = stop;
            const what = error instanceof vela_errors/* NotVelaApiError */.OX
                ? `${error.method} ${error.path} answered ${error.status} with a web page (${error.bodySummary})`
                : error.message;
            return new errors/* UnexpectedAnswerError */.qx(`Vela's answer was not what its API returns, ${this.surprises} times in a row: ${what}. Something in front of Vela (a single-sign-on page or a gateway) may be answering in its place; check the server input`, { cause: error });
        }
        if (stop?.kind === 'refusals') {
            return new errors/* AccessLostError */.zD(`Vela refused to read ${this.repository} (401: ${stop.error.said}) ${this.refusals} times in a row while waiting, although earlier reads with the same unexpired token succeeded. Either GitHub failed behind Vela's permission check (Vela asks GitHub on every read of a private repository and answers 401 when GitHub fails), or access was really lost (the token revoked, or the user's access to the repository removed)`, { cause: stop.error });
        }
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/follow/follow-build.ts





/** How often to say we are still waiting when nothing changes. */
const HEARTBEAT_MS = 5 * 60_000;
/** How long before the deployment's creation its build may seem created (clock skew). */
const SKEW_S = 60;
class DeadlinePassed extends Error {
}
/**
 * Finds the build Vela creates for the deployment (by `deploy_number`, never by time or "newest"), then
 * follows it to a terminal status, one request per poll interval.
 */
async function followBuild(target, options, deps) {
    const { clock } = deps;
    const reads = new BuildReads(target, options, deps);
    const narration = new Narration(target, deps.log, clock);
    narration.begin(options.deadline);
    let build;
    for (;;) {
        const pollStart = clock.now();
        if (pollStart >= options.deadline)
            return { kind: 'timed-out', build };
        const polled = await reads.poll(build);
        if (polled.kind === 'stopped')
            return { kind: 'timed-out', build, lastError: polled.lastError };
        if (polled.build) {
            build = polled.build;
            deps.onBuild(build);
            narration.tell(build);
            await deps.onPoll?.(build);
            if ((0,statuses/* isFinal */.dR)(build.status))
                return { kind: 'finished', build };
        }
        else {
            narration.noBuildYet();
        }
        const wake = Math.min(pollStart + options.pollIntervalMs, options.deadline);
        await clock.sleep(Math.max(0, wake - clock.now()), options.signal);
    }
}
/** The reads of one follow: find the deployment's build, then read it; each retried within a budget. */
class BuildReads {
    target;
    options;
    deps;
    budget;
    constructor(target, options, deps) {
        this.target = target;
        this.options = options;
        this.deps = deps;
        const { clock } = deps;
        this.budget = new ReadBudget(`${target.org}/${target.repo}`, () => (deps.tokenExpiresAt()?.getTime() ?? Number.POSITIVE_INFINITY) > clock.now());
    }
    /**
     * Reads the build once known, else looks for it. Fails with the error that stopped the retries; the
     * deadline ending them is no failure: the poll says so, with the last transient error.
     */
    async poll(known) {
        try {
            return { kind: 'read', build: known ? await this.readBuild(known.number) : await this.findBuild() };
        }
        catch (error) {
            if (error instanceof DeadlinePassed)
                return { kind: 'stopped' };
            const ranOut = this.budget.ranOut();
            if (ranOut)
                throw ranOut;
            // Retries give up on transient trouble only when the next try would start past the deadline.
            if ((0,retry/* isTransient */.dg)(error))
                return { kind: 'stopped', lastError: error.message };
            throw error;
        }
    }
    readBuild(number) {
        const { org, repo } = this.target;
        const { signal } = this.options;
        return this.read((timeoutMs) => this.deps.api.getBuild(org, repo, number, { timeoutMs, signal }));
    }
    findBuild() {
        return findBuild(this.deps.api, this.target, (call) => this.read(call), this.options.signal);
    }
    /** One read, retried through transient trouble until the deadline; bounded by the deadline too. */
    async read(call) {
        const { clock, log } = this.deps;
        const { deadline, requestTimeoutMs, signal } = this.options;
        const attempt = async () => {
            const left = deadline - clock.now();
            if (left <= 0)
                throw new DeadlinePassed();
            try {
                return await call(Math.min(requestTimeoutMs, left));
            }
            catch (error) {
                this.budget.failed(error);
                throw error;
            }
        };
        const result = await (0,retry/* retrying */.R$)(attempt, {
            attempts: Number.POSITIVE_INFINITY,
            retryable: (error) => !(error instanceof DeadlinePassed) && this.budget.mayRetry(),
            deadline,
            signal,
            clock,
            onRetry: (error, delayMs) => {
                log.info(`Vela read failed (${(0,safe_text/* errorText */.kc)(error)}); retrying in ${Math.ceil(delayMs / 1000)}s`);
            },
        });
        this.budget.succeeded();
        return result;
    }
}
/**
 * Looks for the deployment's build: among the builds Vela linked to it (v0.26+), else among the deployment
 * builds of its commit. Undefined when none is seen, which does not mean that none exists.
 */
async function findBuild(api, target, read, signal) {
    const { org, repo } = target;
    if (target.era === 'v0.26+') {
        const deployment = await read((timeoutMs) => api.getDeployment(org, repo, target.number, { timeoutMs, signal }));
        const linked = newestOfOurs(target, deployment.builds);
        if (linked)
            return linked;
    }
    // Older servers, or linking that lags: list the deployment builds of the commit and match ours.
    const after = target.createdAt === undefined ? undefined : target.createdAt - SKEW_S;
    const query = { event: 'deployment', commit: target.commit, after, per_page: 100 };
    const builds = await read((timeoutMs) => api.listBuilds(org, repo, query, { timeoutMs, signal }));
    return newestOfOurs(target, builds);
}
// Builds carry deploy_number since v0.23; before, only `source`, the deployment's API URL, names it.
function isOurs(target, build) {
    return build.deploy_number !== undefined
        ? build.deploy_number === target.number
        : target.url !== undefined && build.source === target.url;
}
function newestOfOurs(target, builds) {
    return (builds ?? []).filter((build) => isOurs(target, build)).sort((a, b) => b.number - a.number)[0];
}
/** What the log says while following: each new status, a heartbeat when nothing changes, odd statuses once. */
class Narration {
    target;
    log;
    clock;
    started;
    lastStatus;
    lastNews;
    explained = new Set();
    constructor(target, log, clock) {
        this.target = target;
        this.log = log;
        this.clock = clock;
        this.started = clock.now();
        this.lastNews = this.started;
    }
    begin(deadline) {
        this.log.info(`Waiting up to ${(0,duration/* formatDuration */.a)(deadline - this.started)} for the build of deployment ${this.target.number}`);
    }
    tell(build) {
        const status = build.status ?? 'unknown';
        if (status !== this.lastStatus) {
            this.log.info(`Build #${build.number}: ${status}`);
            this.lastStatus = status;
            this.lastNews = this.clock.now();
        }
        else {
            this.sayIfQuiet(() => `Build #${build.number}: still ${status} after ${this.elapsed()}`);
        }
        this.explainOnce(build.number, status);
    }
    noBuildYet() {
        this.sayIfQuiet(() => `No build of deployment ${this.target.number} seen yet (${this.elapsed()})`);
    }
    explainOnce(number, status) {
        if (this.explained.has(status))
            return;
        if (status === statuses/* Status */.nW.pendingApproval) {
            this.log.info('The build needs approval by a repository admin in Vela; waiting for it');
            this.explained.add(status);
        }
        else if (!(0,statuses/* isWaiting */.Gu)(status) && !(0,statuses/* isFinal */.dR)(status)) {
            this.log.warning(`Build #${number} has status ${(0,safe_text/* quote */.hD)(status, 'word')}, which this action does not know; waiting for success, failure, error, canceled or killed`);
            this.explained.add(status);
        }
    }
    /** Says the line when nothing was said for HEARTBEAT_MS, so a long wait still shows it is alive. */
    sayIfQuiet(line) {
        if (this.clock.now() - this.lastNews < HEARTBEAT_MS)
            return;
        this.log.info(line());
        this.lastNews = this.clock.now();
    }
    elapsed() {
        return (0,duration/* formatDuration */.a)(this.clock.now() - this.started);
    }
}


/***/ }),

/***/ 3766:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  followDeployment: () => (/* binding */ followDeployment),
  T: () => (/* binding */ followTarget)
});

// EXTERNAL MODULE: ./src/deploy/diagnose.ts
var diagnose = __webpack_require__(6717);
// EXTERNAL MODULE: ./src/shared/duration.ts
var duration = __webpack_require__(8027);
// EXTERNAL MODULE: ./src/shared/errors.ts
var errors = __webpack_require__(6520);
// EXTERNAL MODULE: ./src/shared/safe-text.ts
var safe_text = __webpack_require__(1984);
// EXTERNAL MODULE: ./src/vela/statuses.ts
var statuses = __webpack_require__(2456);
// EXTERNAL MODULE: ./src/runner/log.ts
var runner_log = __webpack_require__(382);
;// CONCATENATED MODULE: ./src/follow/failed-step.ts


// What the action shows of a failed step, the same whichever `logs` mode shows it: its name, its own
// error, the tail of its log from the real end, and one line outside its group saying how it ended.
/** A failed step's tail: its last lines, and caps besides the line count, as one line can be megabytes. */
const FAILED_TAIL_CAPS = { lines: 50, lineChars: 2_000, chars: 20_000 };
/** A step's name as said everywhere; a step without one is named by its number. */
function stepName(step) {
    return step.name?.trim() ? step.name : `step ${step.number}`;
}
/** `, exit code 3`, or nothing when the step has none. */
function exitText(step) {
    return step.exit_code ? `, exit code ${step.exit_code}` : '';
}
/** A log's lines, without the line break that ends the last; an empty log has none. */
function logLines(text) {
    return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}
/** The line that stands for the lines of a log that are not shown. */
function notShown(count, why) {
    return `… ${count} more lines not shown (${why}); the full log is in Vela`;
}
/** Nothing of the log's beginning: only its tail is shown. */
const TAIL_ONLY = () => ({
    lines: [],
    why: `a failed step's log shows its last ${FAILED_TAIL_CAPS.lines} lines, ${FAILED_TAIL_CAPS.chars / 1_000}k characters at most`,
});
/** The tail of a failed step's log: its last lines, each cut to the line cap, together within the tail's cap. */
function failedTail(lines) {
    const { lineChars } = FAILED_TAIL_CAPS;
    const tail = [];
    let size = 0;
    for (const line of lines.slice(-FAILED_TAIL_CAPS.lines).reverse()) {
        const cut = line.length > lineChars ? `${line.slice(0, lineChars)}… (line cut)` : line;
        if (size + cut.length > FAILED_TAIL_CAPS.chars)
            break;
        size += cut.length;
        tail.unshift(cut);
    }
    return { from: lines.length - tail.length, lines: tail };
}
/** A failed step as the job summary names it; its last lines come once its log is read. */
function failedStepRecord(step) {
    return {
        name: stepName(step),
        status: step.status ?? '',
        exitCode: step.exit_code || undefined,
        lastLines: [],
    };
}
/** The step's own error, before its log. */
function printStepError(step, log) {
    if (step.error)
        (0,runner_log/* printUntrusted */.Q)([`error: ${(0,safe_text/* safeInline */.H1)(step.error, 'message')}`], log);
}
/**
 * Prints a failed step's log, fenced from commands: what `keepHead` keeps of its beginning, a line saying what
 * was left out, then its tail, always, from the real end. Answers the tail.
 */
function printFailedLog(lines, keepHead, log) {
    const tail = failedTail(lines);
    const head = keepHead(lines.slice(0, tail.from));
    const cut = tail.from - head.lines.length;
    (0,runner_log/* printUntrusted */.Q)([...head.lines, ...(cut > 0 ? [notShown(cut, head.why)] : []), ...tail.lines], log);
    return tail.lines;
}
/** How a failed step ended and why (its error, or its log's last line), said outside its collapsed group. */
function sayEnded(step, tail, log) {
    const why = step.error || tail.filter((line) => line.trim() !== '').at(-1);
    const status = (0,safe_text/* safeInline */.H1)(step.status ?? 'unknown', 'word');
    log.info(`Step ${(0,safe_text/* quote */.hD)(stepName(step))} ended in ${status}${exitText(step)}${why ? `: ${(0,safe_text/* safeInline */.H1)(why)}` : ''}`);
}

// EXTERNAL MODULE: ./src/vela/api.ts
var vela_api = __webpack_require__(5888);
;// CONCATENATED MODULE: ./src/follow/step-list.ts

/** How many pages of steps are read at most: 2,000 steps, far more than a pipeline has. */
const MAX_PAGES = 20;
/** Which step this is: Vela's numbers are not always unique within a build, a number with its stage and name is. */
const stepKey = (step) => JSON.stringify([step.number, step.stage ?? '', step.name ?? '']);
/**
 * Every step of a build, in the order they run. Vela lists them newest first, 100 at most a page, so a long
 * build's first steps are on its last pages. A step that moved to the next page while they were read (new
 * steps come first) is kept once.
 */
async function listAllSteps(api, where, options) {
    const steps = new Map();
    for (let page = 1; page <= MAX_PAGES; page++) {
        const timeoutMs = options.timeoutMs();
        if (timeoutMs <= 0)
            throw new Error('the wait-timeout has passed');
        const items = await api.listSteps(where.org, where.repo, where.build, page, {
            timeoutMs,
            signal: options.signal,
        });
        for (const step of items)
            if (!steps.has(stepKey(step)))
                steps.set(stepKey(step), step);
        if (items.length < vela_api/* STEPS_PER_PAGE */.ah)
            break;
    }
    return [...steps.values()].sort((a, b) => a.number - b.number);
}

;// CONCATENATED MODULE: ./src/follow/failure-logs.ts




const MAX_STEPS = 3;
const TIMEOUT_MS = 10_000;
/**
 * For `logs: failed`: prints the tail of each failed step's log in a collapsed group, and returns what it
 * showed for the job summary. Best effort: a build that failed is the message; not being able to show why
 * only earns a warning.
 */
async function showFailedSteps(api, org, repo, build, signal, log) {
    let steps;
    try {
        steps = await listAllSteps(api, { org, repo, build: build.number }, { timeoutMs: () => TIMEOUT_MS, signal });
    }
    catch (error) {
        log.warning(`Could not list the steps of build #${build.number}: ${(0,safe_text/* errorText */.kc)(error)}`);
        return [];
    }
    const failed = steps.filter((s) => (0,statuses/* isFailed */.Ix)(s.status));
    const shown = [];
    for (const step of failed.slice(0, MAX_STEPS)) {
        shown.push(await showFailedStep(api, { org, repo, build: build.number, signal }, step, log));
    }
    if (failed.length > MAX_STEPS)
        log.info(`${failed.length - MAX_STEPS} more failed steps are not shown`);
    return shown;
}
async function showFailedStep(api, where, step, log) {
    const seen = failedStepRecord(step);
    const status = (0,safe_text/* safeInline */.H1)(step.status ?? '', 'word');
    log.startGroup(`Step ${(0,safe_text/* quote */.hD)(stepName(step))} ended in ${status}${exitText(step)}: last lines of its log`);
    try {
        printStepError(step, log);
        const text = await api.getStepLog(where.org, where.repo, where.build, step.number, {
            timeoutMs: TIMEOUT_MS,
            signal: where.signal,
        });
        seen.lastLines = printFailedLog(logLines(text), TAIL_ONLY, log);
    }
    catch (error) {
        log.info(`No log to show: ${(0,safe_text/* errorText */.kc)(error)}`);
    }
    finally {
        log.endGroup();
    }
    // Visible without opening the group.
    sayEnded(step, seen.lastLines, log);
    return seen;
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
/** ` in 1m5s` for a step or build that ran (Vela keeps whole Unix seconds, 0 until set), else ''. */
function ranFor({ started, finished }) {
    if (!started || !finished || finished < started)
        return '';
    return finished === started ? ' in under 1s' : ` in ${(0,duration/* formatDuration */.a)((finished - started) * 1_000)}`;
}
const stepStarted = (step) => (0,statuses/* hasStarted */.gd)(step.status);
const stepFinished = (step) => (0,statuses/* isFinal */.dR)(step.status);
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
            steps = await listAllSteps(this.api, { org: this.org, repo: this.repo, build: build.number }, { timeoutMs: () => this.options.timeoutMs(), signal: this.options.signal });
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
        for (const step of steps) {
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
                    this.log.info(`Step ${(0,safe_text/* quote */.hD)(stepName(step))} started`);
            }
            if (stepFinished(step) && !this.finished.has(key)) {
                this.finished.add(key);
                await this.finish(build, step);
            }
            if (stage && this.stagesStarted.has(stage) && !this.stagesFinished.has(stage)) {
                const inStage = steps.filter((s) => s.stage === stage);
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
        const said = `Step ${(0,safe_text/* quote */.hD)(stepName(step))}`;
        const how = `${(0,safe_text/* safeInline */.H1)(step.status ?? 'unknown', 'word')}${ranFor(step)}${exitText(step)}`;
        const seen = (0,statuses/* isFailed */.Ix)(step.status) ? failedStepRecord(step) : undefined;
        if (seen)
            this.failed.push(seen);
        if (this.options.mode !== 'all') {
            this.log.info(`${said} finished: ${how}`);
            return;
        }
        this.log.startGroup(`${said}: ${how}`);
        try {
            printStepError(step, this.log);
            const lines = logLines(await this.readLog(build, step));
            if (seen) {
                seen.lastLines = printFailedLog(lines, (head) => this.capped(head), this.log);
                this.count(seen.lastLines);
            }
            else {
                const head = this.capped(lines);
                const cut = lines.length - head.lines.length;
                (0,runner_log/* printUntrusted */.Q)(cut > 0 ? [...head.lines, notShown(cut, head.why)] : head.lines, this.log);
            }
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
        if (seen)
            sayEnded(step, seen.lastLines, this.log);
    }
    readLog(build, step) {
        const timeoutMs = this.options.timeoutMs();
        if (timeoutMs <= 0)
            throw new Error('the wait-timeout has passed');
        return this.api.getStepLog(this.org, this.repo, build.number, step.number, {
            timeoutMs,
            signal: this.options.signal,
        });
    }
    /** Counts lines shown against the build's caps. */
    count(lines) {
        this.linesShown += lines.length;
        this.bytesShown += lines.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
    }
    /** The lines from the log's beginning that the per-step and per-build caps leave room for, and which cap cut the rest. */
    capped(lines) {
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
        this.count(kept);
        const buildCap = lineRoom < STEP_LOG_CAPS.stepLines || byteRoom < STEP_LOG_CAPS.stepBytes;
        const why = buildCap
            ? `the build's cap of ${STEP_LOG_CAPS.buildLines} lines and ${STEP_LOG_CAPS.buildBytes / 1024} KiB of logs`
            : `the step's cap of ${STEP_LOG_CAPS.stepLines} lines and ${STEP_LOG_CAPS.stepBytes / 1024} KiB`;
        return { lines: kept, why };
    }
}

// EXTERNAL MODULE: ./src/vela/schemas.ts + 11 modules
var schemas = __webpack_require__(8558);
// EXTERNAL MODULE: ./src/follow/follow-build.ts + 1 modules
var follow_build = __webpack_require__(4108);
;// CONCATENATED MODULE: ./src/follow/follow-deployment.ts











/** How long GET /version may take before following goes on without naming the server's release. */
const VERSION_TIMEOUT_MS = 5_000;
/**
 * Follows the deployment's build to its end and records it; fails the way the user should read it: the build
 * failed (with its failed steps' logs), the wait timed out (with why no build came), or the job was cancelled.
 */
async function followDeployment(api, record, deployment, signal, runtime) {
    const { settings } = record;
    const { clock } = runtime;
    const started = clock.now();
    const deadline = started + settings.waitTimeoutMs;
    const target = followTarget(record, deployment, started);
    const progress = stepProgress(api, record, deadline, signal, runtime);
    let result;
    try {
        await readServerVersion(api, record, target.era, signal, runtime.log);
        result = await (0,follow_build/* followBuild */.c)(target, {
            pollIntervalMs: settings.pollIntervalMs,
            deadline,
            requestTimeoutMs: settings.requestTimeoutMs,
            signal,
        }, {
            api,
            clock,
            log: runtime.log,
            tokenExpiresAt: () => api.auth.expiresAt(),
            onBuild: (build) => {
                recordBuild(record, build, runtime.log);
            },
            onPoll: (build) => progress.update(build),
        });
    }
    catch (error) {
        if (error instanceof vela_errors/* CancelledError */.cc) {
            throw new vela_errors/* CancelledError */.cc(`Cancelled while waiting: ${standing(record, target.number)}`, {
                cause: error,
            });
        }
        throw error;
    }
    if (result.kind === 'timed-out') {
        throw await timedOut(api, record, deployment, target, result.lastError ?? progress.lastListFailure, signal);
    }
    await finished(api, record, result.build, progress, signal, runtime.log);
}
/** Reports the build's steps as it runs; its reads end by the deadline too. */
function stepProgress(api, { settings }, deadline, signal, { clock, log }) {
    const timeoutMs = () => Math.min(settings.requestTimeoutMs, deadline - clock.now());
    return new StepProgress(api, settings.org, settings.repo, { mode: settings.logs, timeoutMs, signal }, log);
}
/**
 * What tells the deployment's build apart, on the server the create answer shows. `started`: when following
 * began (epoch ms), if it did.
 */
function followTarget(record, deployment, started) {
    const { settings } = record;
    // Servers before v0.23 tell no creation time. A deployment this run created was created just now; one it
    // follows (the `deployment` input) may be of any age, so its builds are listed without a lower bound.
    const createdAt = deployment.created_at ??
        (settings.deployment === undefined && started !== undefined ? Math.floor(started / 1_000) : undefined);
    return {
        org: settings.org,
        repo: settings.repo,
        number: (0,schemas/* deploymentNumber */.Rr)(deployment),
        url: deployment.url,
        commit: deployment.commit,
        createdAt,
        era: (0,schemas/* serverEra */.st)(deployment),
    };
}
/** Records each state of the build read; the link once, as soon as the build is known, so status lines stay short. */
function recordBuild(record, build, log) {
    const page = record.build ? undefined : (0,links/* buildPage */.Ko)(build, record.settings);
    if (page)
        log.info(`Build #${build.number}: ${(0,safe_text/* safeInline */.H1)(page)}`);
    record.build = build;
}
/** Where the build stood when following stopped, with its page when there is one. */
function standing(record, number) {
    if (!record.build)
        return `no build of deployment ${number} had been seen yet`;
    const url = (0,links/* buildPage */.Ko)(record.build, record.settings);
    return `build #${record.build.number} was ${(0,safe_text/* safeInline */.H1)(record.build.status ?? 'unknown', 'word')}${url ? ` (${(0,safe_text/* safeInline */.H1)(url)})` : ''}`;
}
/** The error for a wait that ran out: where the build stood, or why no build came. */
async function timedOut(api, record, deployment, target, last, signal) {
    const { settings } = record;
    const waited = (0,duration/* formatDuration */.a)(settings.waitTimeoutMs);
    const lastError = last ? ` Last error: ${last}.` : '';
    if (record.build)
        return new errors/* WaitTimeoutError */.WL(`Timed out after ${waited}: ${standing(record, target.number)}.${lastError}`);
    const { org, repo } = settings;
    const createdAt = target.createdAt ?? 0;
    const why = await (0,diagnose/* explainMissingBuild */.W)(api, org, repo, deployment, createdAt, settings.target, signal);
    return new errors/* WaitTimeoutError */.WL(`Timed out after ${waited}: no build of deployment ${target.number} was seen.${lastError} Likely reasons: ${why}`);
}
/** Says how the build ended; a build that did not succeed fails the run, after its failed steps' logs. */
async function finished(api, record, build, progress, signal, log) {
    const { settings } = record;
    const took = ranFor(build);
    if (build.status === statuses/* Status */.nW.success) {
        log.info(`Build #${build.number} succeeded${took}`);
        return;
    }
    const status = (0,safe_text/* safeInline */.H1)(build.status ?? 'unknown', 'word');
    log.info(`Build #${build.number} ended with status ${status}${took}`);
    // With `logs: all` the failed steps' logs were shown as they finished; each log is read once.
    record.failedSteps =
        settings.logs === 'failed'
            ? await showFailedSteps(api, settings.org, settings.repo, build, signal, log)
            : progress.failedSteps;
    const error = build.error ? ` (${(0,safe_text/* safeInline */.H1)(build.error)})` : '';
    const url = (0,links/* buildPage */.Ko)(build, settings);
    throw new errors/* BuildFailedError */.Wu(`Build #${build.number} ended with status ${status}${error}${url ? `: ${(0,safe_text/* safeInline */.H1)(url)}` : ''}`);
}
/**
 * Names the server's release for the debug log and the job summary. Following goes by what Vela's answers
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
