export const id = 789;
export const ids = [789];
export const modules = {

/***/ 2789:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   octokitDeploymentStatuses: () => (/* binding */ octokitDeploymentStatuses)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2218);
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4371);
/* harmony import */ var _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2691);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3116);
// The only module that loads Octokit, and it is loaded only when `environment-url` is set: a run without it
// starts as fast as before.




function octokitDeploymentStatuses(connection) {
    const { owner, repo, token, apiUrl, timeoutMs, connections } = connection;
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, { baseUrl: apiUrl, request: { fetch: fetchThrough(connections) } });
    const within = (signal, send) => withinDeadline(timeoutMs, signal, apiUrl, send);
    return {
        repository: `${owner}/${repo}`,
        list: (deploymentId, signal) => within(signal, async (request) => {
            const answer = await octokit.rest.repos.listDeploymentStatuses({
                owner,
                repo,
                deployment_id: deploymentId,
                per_page: 100,
                request: { signal: request },
            });
            return answer.data.map(({ state }) => ({ state }));
        }),
        create: (deploymentId, status, signal) => within(signal, async (request) => {
            await octokit.rest.repos.createDeploymentStatus({
                owner,
                repo,
                deployment_id: deploymentId,
                ...status,
                request: { signal: request },
            });
        }),
    };
}
/** Octokit's `fetch`, sent through the run's pool for the address: directly, or through its proxy. */
function fetchThrough(connections) {
    const send = (input, init) => {
        const url = new URL(input instanceof Request ? input.url : input);
        return (0,undici__WEBPACK_IMPORTED_MODULE_1__/* .fetch */ .hd)(url, { ...init, dispatcher: connections.route(url).dispatcher });
    };
    return send;
}
/**
 * Ends the request at its deadline or at a cancel even if the HTTP stack ignores the abort (a proxy agent
 * that keeps re-driving a refused tunnel does), and names what went wrong.
 */
async function withinDeadline(timeoutMs, cancel, apiUrl, send) {
    if (cancel.aborted)
        throw new _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc();
    const request = new AbortController();
    let stop = () => undefined;
    const stopped = new Promise((_, reject) => (stop = reject));
    const timer = setTimeout(() => {
        stop(new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .GitHubTimeoutError */ .D(timeoutMs));
    }, timeoutMs);
    const onCancel = () => {
        stop(new _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc());
    };
    cancel.addEventListener('abort', onCancel, { once: true });
    try {
        return await Promise.race([send(request.signal), stopped]);
    }
    catch (error) {
        throw asGitHubError(error, apiUrl);
    }
    finally {
        clearTimeout(timer);
        cancel.removeEventListener('abort', onCancel);
        request.abort();
    }
}
/** Octokit's errors carry GitHub's answer when there was one; without one, the request never got an answer. */
function asGitHubError(error, apiUrl) {
    if (error instanceof _vela_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .CancelledError */ .cc || error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .GitHubTimeoutError */ .D)
        return error;
    const { status, response, message } = (error ?? {});
    if (typeof status === 'number' && response !== undefined) {
        const said = response.data?.message;
        return new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .GitHubHttpError */ .I(status, typeof said === 'string' ? said : String(message), { cause: error });
    }
    return new Error(`could not reach GitHub at ${apiUrl}: ${String(message ?? error)}`, { cause: error });
}


/***/ })

};
