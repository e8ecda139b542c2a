export const id = 207;
export const ids = [207];
export const modules = {

/***/ 7207:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PAYLOAD_MAX_INPUT_BYTES: () => (/* binding */ PAYLOAD_MAX_INPUT_BYTES),
/* harmony export */   PAYLOAD_MAX_JSON_BYTES: () => (/* binding */ PAYLOAD_MAX_JSON_BYTES),
/* harmony export */   parsePayload: () => (/* binding */ parsePayload)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8382);
/* harmony import */ var _shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6054);
// The `payload` input: a YAML (or JSON) mapping of deployment parameters. Vela takes only string values
// (a number makes the whole request a 400) and hands each one to the pipeline as
// DEPLOYMENT_PARAMETER_<KEY UPPERCASED>. So every scalar is kept as the text written (the failsafe
// schema), and whatever YAML could turn into something else (aliases, tags, merge keys, nesting) is refused.



/** Checked on the raw text, before parsing. */
const PAYLOAD_MAX_INPUT_BYTES = 64 * 1024;
/** Vela's build `deploy_payload` column is VARCHAR(2000) and holds the JSON-encoded map. */
const PAYLOAD_MAX_JSON_BYTES = 2000;
const STR_TAG = 'tag:yaml.org,2002:str';
// Refused even though the result has no prototype: callers may copy it into ordinary objects.
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// What follows the DEPLOYMENT_PARAMETER_ prefix, so a leading digit is fine.
const SHELL_NAME_TAIL = /^[A-Za-z0-9_]+$/;
function refuse(problem) {
    throw new _shared_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('payload', problem);
}
function parsePayload(text) {
    const inputBytes = Buffer.byteLength(text, 'utf8');
    if (inputBytes > PAYLOAD_MAX_INPUT_BYTES) {
        refuse(`is ${inputBytes} bytes; at most ${PAYLOAD_MAX_INPUT_BYTES} bytes are accepted`);
    }
    const { doc, positions } = parseOneDocument(text);
    const parameters = Object.create(null);
    if (!doc)
        return { parameters, warnings: [] };
    const [error] = doc.errors;
    if (error)
        refuse(`is not valid YAML at ${positions.at(error.pos[0])}: ${reason(error)}`);
    const warnings = doc.warnings.map((w) => `Input 'payload': YAML warning at ${positions.at(w.pos[0])}: ${reason(w)}`);
    const top = doc.contents;
    // A document of only comments after '---' parses as an empty plain scalar.
    if (top === null ||
        ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(top) && top.type === 'PLAIN' && top.source === '' && !top.tag && !top.anchor)) {
        return { parameters, warnings };
    }
    checkProps(top, `the top level (${positions.at(top.range[0])})`);
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(top)) {
        refuse(`must be a mapping of names to string values (key: value lines, or a JSON object), ` +
            `not ${(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(top) ? 'a list' : 'a single value'}`);
    }
    const unusable = readPairs(top.items, parameters, positions);
    if (unusable.length > 0)
        warnings.push(unusableNamesWarning(unusable));
    checkJsonSize(parameters);
    return { parameters, warnings };
}
/** The one YAML document the text holds, if any, with positions to name where a problem is. */
function parseOneDocument(text) {
    const lines = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
    const positions = {
        lineOf: (offset) => lines.linePos(offset).line,
        at: (offset) => {
            const { line, col } = lines.linePos(offset);
            return `line ${line}, column ${col}`;
        },
    };
    // failsafe keeps every scalar as the string written. Duplicate keys are checked below, to name them.
    // Nothing is converted with toJS, so aliases are never expanded. 'silent': the parser must not print.
    const [doc, second] = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseAllDocuments */ .hR)(text, {
        schema: 'failsafe',
        uniqueKeys: false,
        prettyErrors: false,
        logLevel: 'silent',
        lineCounter: lines,
    });
    if (second) {
        refuse(`holds more than one YAML document ('---' at line ${positions.lineOf(second.range[0])} starts another); write one mapping`);
    }
    return { doc, positions };
}
/**
 * Reads each key and value into `parameters`, refusing keys that would name the same variable; returns the
 * variables a shell cannot read.
 */
function readPairs(pairs, parameters, { lineOf }) {
    const seen = new Map(); // by the name Vela gives the variable
    const unusable = [];
    for (const pair of pairs) {
        const line = lineOf(pair.key.range[0]);
        const key = readKey(pair.key, line);
        const upper = goUpper(key);
        const earlier = seen.get(upper);
        if (earlier?.key === key) {
            refuse(`the key ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(key)} appears twice (lines ${earlier.line} and ${line}); use it once`);
        }
        if (earlier) {
            refuse(`the keys ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(earlier.key)} (line ${earlier.line}) and ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(key)} (line ${line}) differ only in case; ` +
                `both become ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(`DEPLOYMENT_PARAMETER_${upper}`)} in the pipeline, so keep one`);
        }
        seen.set(upper, { key, line });
        if (!SHELL_NAME_TAIL.test(key))
            unusable.push(`DEPLOYMENT_PARAMETER_${upper}`);
        parameters[key] = readValue(pair.value, key, line);
    }
    return unusable;
}
function unusableNamesWarning(unusable) {
    const more = unusable.length > 5 ? ` and ${unusable.length - 5} more` : '';
    return (`Input 'payload': the pipeline gets ${unusable
        .slice(0, 5)
        .map((name) => (0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(name))
        .join(', ')}${more}, ` +
        `which a shell cannot read as $VAR; use only letters, digits and _ in payload keys`);
}
/** Vela stores the parameters as JSON in a column of limited size. */
function checkJsonSize(parameters) {
    const json = JSON.stringify(parameters);
    const jsonBytes = Buffer.byteLength(goEscape(json), 'utf8');
    if (jsonBytes > PAYLOAD_MAX_JSON_BYTES) {
        const escapes = jsonBytes > Buffer.byteLength(json, 'utf8') ? ' (Vela writes each <, > and & as 6)' : '';
        refuse(`is ${jsonBytes} bytes as JSON${escapes}, over Vela's limit of ${PAYLOAD_MAX_JSON_BYTES} bytes; ` +
            `shorten or drop some values`);
    }
}
function readKey(node, line) {
    checkProps(node, `a key at line ${line}`);
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node))
        refuse(`a key at line ${line} is a list or mapping; keys must be plain names`);
    const key = String(node.value);
    if (key === '')
        refuse(`a key at line ${line} is empty; every parameter needs a name`);
    if (key.includes('\0'))
        refuse(`a key at line ${line} contains a NUL character, which is not allowed`);
    if (key === '<<') {
        refuse(`line ${line} has a merge key (<<); merge keys are not supported, write each key out`);
    }
    if (RESERVED_KEYS.has(key))
        refuse(`the key ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(key)} (line ${line}) is not allowed; choose another name`);
    return key;
}
function readValue(node, key, line) {
    const what = `the value of ${(0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(key)} (line ${line})`;
    checkProps(node, what);
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node) || (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(node)) {
        refuse(`${what} is ${(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(node) ? 'a mapping' : 'a list'}, but Vela accepts only strings; ` +
            `quote it as one string or flatten it into separate keys`);
    }
    // `? key` and `{key}` have no value node at all: sent as "", like `key:`.
    const value = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node) ? String(node.value) : '';
    // Neither an environment variable nor Vela's database can hold a NUL.
    if (value.includes('\0'))
        refuse(`${what} contains a NUL character, which is not allowed`);
    return value;
}
/** Refuses what a node may not carry: an alias, an anchor, or any tag but !!str on a scalar. */
function checkProps(node, what) {
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(node)) {
        refuse(`${what} is an alias (*); anchors and aliases are not supported, write the value out`);
    }
    if (node === null)
        return;
    if (node.anchor) {
        refuse(`${what} has an anchor (&); anchors and aliases are not supported, write the value out`);
    }
    if (node.tag && !((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(node) && node.tag === STR_TAG)) {
        const tag = (0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(node.tag.replace(/^tag:yaml\.org,2002:/, '!!'));
        refuse(`${what} has the tag ${tag}; only !!str is allowed, as every value is sent as the text written`);
    }
}
// These parser messages end by quoting source text (which may be part of a value).
const QUOTES_SOURCE = /^(Not a YAML token|Block scalar header includes extra characters): .*$/s;
/** The parser's reason, on one line, without any source text it quotes. */
function reason(error) {
    return (0,_shared_safe_text_js__WEBPACK_IMPORTED_MODULE_2__/* .safeInline */ .H1)(error.message.replace(QUOTES_SOURCE, '$1'));
}
/** Like Go's strings.ToUpper, which names Vela's variables: one code point at a time, so 'ß' stays 'ß'. */
function goUpper(key) {
    return Array.from(key, (ch) => {
        const upper = ch.toUpperCase();
        return Array.from(upper).length === 1 ? upper : ch;
    }).join('');
}
/** JSON as Go's json.Marshal writes it, which is how Vela stores it: <, >, &, U+2028 and U+2029 as \uXXXX. */
function goEscape(json) {
    return json.replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}


/***/ })

};
