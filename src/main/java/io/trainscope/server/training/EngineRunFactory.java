package io.trainscope.server.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trainscope.run.Training;
import io.trainscope.spec.DataSpec;
import io.trainscope.spec.RunSpec;
import io.trainscope.spec.SpecException;
import io.trainscope.spec.SpecJson;
import io.trainscope.spec.SpecLimits;
import io.trainscope.spec.SpecParser;

/**
 * Runs made by the engine, exactly as {@code train} makes them: {@link SpecParser} checks the spec within the
 * server's {@link SpecLimits}, {@link Training#prepare} builds data and network. No base directory is given,
 * so a spec from the web cannot make the server read a file of its choosing.
 */
public final class EngineRunFactory implements RunFactory {

    private final SpecLimits limits;

    public EngineRunFactory(SpecLimits limits) {
        this.limits = limits;
    }

    @Override
    public Checked check(ObjectNode json) throws SpecException {
        return checked(SpecParser.parse(json, limits, null), null);
    }

    /**
     * {@code spec}, checked: its run trains {@code training} when that is not null (a train command's own, prepared
     * already), else a training prepared from {@code spec} when it may start.
     */
    public static Checked checked(RunSpec spec, Training training) {
        ObjectNode shown = shown(spec);
        return new Checked() {
            @Override
            public ObjectNode spec() {
                return shown;
            }

            @Override
            public String description() {
                return spec.describe();
            }

            @Override
            public long iterations() {
                return spec.iterations();
            }

            @Override
            public int depth() {
                return spec.layers().length - 1;
            }

            @Override
            public PreparedRun prepare() throws SpecException {
                Training ready = training != null ? training : Training.prepare(spec);
                return new PreparedRun(ready.trainer(), shown, spec.describe(), spec.iterations());
            }
        };
    }

    /**
     * The spec as viewers see it, every default written out. Inline examples are summarised: they can be
     * megabytes, and the spec travels in every {@code state} message to every viewer.
     */
    public static ObjectNode shown(RunSpec spec) {
        ObjectNode json = SpecJson.toJson(spec);
        if (spec.data() instanceof DataSpec.Inline inline) {
            json.putObject("data").putObject("inline")
                    .put("features", inline.dataset().features())
                    .put("samples", inline.dataset().samples());
        }
        return json;
    }
}
