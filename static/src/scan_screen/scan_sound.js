import { browser } from "@web/core/browser/browser";

/**
 * Beeps synthesised with Web Audio (no sound files): one high beep for a
 * success, two low ones for a refusal, one middle beep for a read queued
 * offline.
 */
const TONES = {
    success: [[1320, 0, 0.09]],
    danger: [
        [220, 0, 0.16],
        [220, 0.22, 0.16],
    ],
    warning: [[660, 0, 0.12]],
};

let audioContext = null;

function getContext() {
    if (!audioContext && browser.AudioContext) {
        try {
            audioContext = new browser.AudioContext();
        } catch {
            audioContext = null;
        }
    }
    return audioContext;
}

/**
 * Browsers start an AudioContext suspended until a user gesture: call this from a
 * click (e.g. picking the mode).
 */
export function unlockSound() {
    const context = getContext();
    if (context && context.state === "suspended") {
        context.resume().catch(() => {});
    }
}

/** Play the beep of ``tone`` (``success``, ``danger`` or ``warning``). */
export function playTone(tone) {
    const context = getContext();
    if (!context || !TONES[tone]) {
        return;
    }
    try {
        const start = context.currentTime;
        for (const [frequency, offset, duration] of TONES[tone]) {
            const oscillator = context.createOscillator();
            const gain = context.createGain();
            oscillator.type = tone === "danger" ? "square" : "sine";
            oscillator.frequency.value = frequency;
            gain.gain.setValueAtTime(0.25, start + offset);
            gain.gain.exponentialRampToValueAtTime(0.001, start + offset + duration);
            oscillator.connect(gain).connect(context.destination);
            oscillator.start(start + offset);
            oscillator.stop(start + offset + duration);
        }
    } catch {
        // no sound is better than a broken scan screen
    }
}
