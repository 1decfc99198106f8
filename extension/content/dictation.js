/* Dictation: record the microphone with MediaRecorder in this tab and let the companion's speech adapter turn it
   into transcript (POST /v1/encounters/{id}/audio, through the background). The Dictate button is shown only
   when the companion reports a speech adapter (GET /v1/capabilities). Consent is asked for before the
   microphone is opened, exactly as before typed transcript is sent. */
globalThis.VetScribe = globalThis.VetScribe || {};
VetScribe.content = VetScribe.content || {};

(() => {
  const C = VetScribe.content;
  const MAX_RECORDING_MS = 4 * 60 * 1000; // ~1 MB at 32 kbit/s: well under the companion's body limit
  const AUDIO_BITS_PER_SECOND = 32000;
  const TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"];

  /** Base64 of an ArrayBuffer (runtime messages carry JSON, not bytes). */
  function toBase64(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }

  function recorderType() {
    return TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || "";
  }

  class Dictation {
    constructor(session) {
      this.session = session;
      this.available = false;
      this.recorder = null;
    }

    /** Show Dictate when the companion can transcribe and this browser can record. */
    async offer() {
      const res = await C.send("companion.capabilities");
      const speech = res.ok && res.data && res.data.speech;
      const canRecord = typeof MediaRecorder === "function" && Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
      this.available = Boolean(speech && speech.available) && canRecord;
      this.session.view.showDictate(this.available);
    }

    toggle() {
      return this.recorder ? this.stop() : this.start();
    }

    async start() {
      const s = this.session;
      if (!s.context && !(await s.readContext())) return;
      if (s.consentNeeded && !s.consentGiven) {
        s.view.showConsent(true);
        s.view.setStatus("Confirm the client's consent first: nothing is recorded without it.", "error");
        return;
      }
      if (!(await s.ensureEncounter())) return;
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (err) {
        s.view.setStatus(`The microphone is not available (${err && err.name}). Type or paste the transcript instead.`, "error");
        return;
      }
      this.record(stream);
    }

    record(stream) {
      const s = this.session;
      const type = recorderType();
      const recorder = new MediaRecorder(stream, { ...(type ? { mimeType: type } : {}), audioBitsPerSecond: AUDIO_BITS_PER_SECOND });
      const chunks = [];
      recorder.addEventListener("dataavailable", (e) => { if (e.data && e.data.size) chunks.push(e.data); });
      this.finished = new Promise((resolve) => recorder.addEventListener("stop", () => {
        stream.getTracks().forEach((track) => track.stop());
        resolve(new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" }));
      }, { once: true }));
      this.recorder = recorder;
      this.timer = setTimeout(() => this.stop(), MAX_RECORDING_MS);
      s.signal.addEventListener("abort", () => this.discard(), { once: true });
      recorder.start(1000);
      s.view.setDictating(true);
      s.view.setStatus("Recording… click Stop dictation when you are done.");
    }

    /** The page is going away: stop the microphone and send nothing. */
    discard() {
      if (!this.recorder) return;
      clearTimeout(this.timer);
      const recorder = this.recorder;
      this.recorder = null;
      if (recorder.state !== "inactive") recorder.stop();
    }

    async stop() {
      const s = this.session;
      const recorder = this.recorder;
      if (!recorder) return;
      this.recorder = null;
      clearTimeout(this.timer);
      if (recorder.state !== "inactive") recorder.stop();
      const blob = await this.finished;
      s.view.setDictating(false);
      if (!blob.size) {
        s.view.setStatus("Nothing was recorded.", "error");
        return;
      }
      s.view.setStatus("Transcribing the dictation…");
      // typed text goes first, so the companion keeps the consult in the order it was captured
      const typed = s.view.transcriptText().trim();
      if (!(await s.sendTranscript(typed))) return;
      const res = await C.send("encounter.audio", { encounterId: s.encounter.id, mime: blob.type, audio: toBase64(await blob.arrayBuffer()) });
      if (!res.ok) {
        s.view.setStatus(`The dictation was not transcribed: ${C.errorText(res)}`, "error");
        return;
      }
      this.addText(typed, res.data.segments.map((segment) => segment.text).join("\n"));
    }

    /** Show what was dictated in the transcript box; the companion already holds it, so it is never resent. */
    addText(typed, dictated) {
      const s = this.session;
      const text = typed ? `${typed}\n${dictated}` : dictated;
      s.view.setTranscript(text);
      s.sentTranscript = text;
      s.view.setStatus("Dictation added to the transcript. Dictate more, or Generate.", "ok");
    }
  }

  C.Dictation = Dictation;
})();
