export const id = 910;
export const ids = [910];
export const modules = {

/***/ 910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SUCCESS: () => (/* binding */ SUCCESS),
/* harmony export */   isTerminal: () => (/* binding */ isTerminal),
/* harmony export */   waitForBuild: () => (/* binding */ waitForBuild)
/* harmony export */ });
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7607);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7820);
/* harmony import */ var _safe_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1452);



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
async function waitForBuild(target, options, deps, progress = { build: undefined }) {
    const { api, now, sleep, log } = deps;
    const { org, repo } = target;
    const started = now();
    let lastStatus;
    let lastNews = started;
    const explained = new Set();
    /** One read, retried through transient trouble until the deadline; bounded by the deadline too. */
    const read = (call) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .retrying */ .R$)(() => {
        const left = options.deadline - now();
        if (left <= 0)
            throw new DeadlinePassed();
        return call(Math.min(options.requestTimeoutMs, left));
    }, {
        attempts: Number.POSITIVE_INFINITY,
        retryable: (error) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .isTransient */ .dg)(error),
        deadline: options.deadline,
        signal: options.signal,
        sleep,
        now,
        onRetry: (error, delayMs) => {
            log.info(`Vela read failed (${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .errorText */ .kc)(error, 300)}); retrying in ${Math.ceil(delayMs / 1000)}s`);
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
            log.info(`Build #${build.number}: ${status}${build.link ? ` (${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .safeInline */ .H1)(build.link, 300)})` : ''}`);
            lastStatus = status;
            lastNews = now();
        }
        else if (now() - lastNews >= HEARTBEAT_MS) {
            log.info(`Build #${build.number}: still ${status} after ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(now() - started)}`);
            lastNews = now();
        }
        if (status === 'pending approval' && !explained.has(status)) {
            log.info('The build needs approval by a repository admin in Vela; waiting for it');
            explained.add(status);
        }
        else if (!KNOWN_WAITING.has(status) && !isTerminal(status) && !explained.has(status)) {
            log.warning(`Build #${build.number} has status "${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .safeInline */ .H1)(status, 40)}", which this action does not know; waiting for success, failure, error, canceled or killed`);
            explained.add(status);
        }
    };
    log.info(`Waiting up to ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(options.deadline - started)} for the build of deployment ${target.number}`);
    for (;;) {
        const pollStart = now();
        if (pollStart >= options.deadline)
            return { kind: 'timed-out', build: progress.build };
        try {
            const build = progress.build
                ? await read((timeoutMs) => api.getBuild(org, repo, progress.build.number, { timeoutMs, signal: options.signal }))
                : await findBuild();
            if (build) {
                progress.build = build;
                report(build);
                if (isTerminal(build.status))
                    return { kind: 'finished', build };
            }
            else if (now() - lastNews >= HEARTBEAT_MS) {
                log.info(`Vela has not created a build for deployment ${target.number} yet (${(0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(now() - started)})`);
                lastNews = now();
            }
        }
        catch (error) {
            if (error instanceof DeadlinePassed)
                return { kind: 'timed-out', build: progress.build };
            // Reads give up on transient trouble only when the next try would start past the deadline.
            if ((0,_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .isTransient */ .dg)(error)) {
                return { kind: 'timed-out', build: progress.build, lastError: error.message };
            }
            throw error;
        }
        const wake = Math.min(pollStart + options.pollIntervalMs, options.deadline);
        await sleep(Math.max(0, wake - now()), options.signal);
    }
}


/***/ })

};
