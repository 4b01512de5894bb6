package io.trainscope.spec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FieldNamesTest {

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "learning_rate, learningRate", "learningrate, learningRate", "LEARNING-RATE, learningRate",
            "itterations, iterations", "validation_split, validationSplit", "layer, layers",
            "initial_parameters, initialParameters", "colour, none", "momentum, none"})
    void suggestsNearMisses(String typed, String expected) {
        assertEquals(expected, FieldNames.nearest(typed, SpecParser.FIELDS));
    }
}
